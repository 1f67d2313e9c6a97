"""After-sales, TikTok -> Shopify: returns, cancellations and disputes pulled with their
deadlines, completed refunds mirrored once, and the merchant's decisions sent back."""
