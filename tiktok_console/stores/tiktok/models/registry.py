"""Which model reads which published TikTok sample.

Keys are sample file names without ``.json`` (``OrderBatchGetOrderDetailResponse``):
a ``*Response`` maps to the model of its envelope's ``data``, a ``*Request``
to the body model, an ``*Event`` to ``WebhookEvent``. The sample test fails
on any file without an entry, so a new sample forces a decision here.
"""

from __future__ import annotations

from pydantic import BaseModel

from tiktok_console.stores.tiktok.models import (
    auth,
    events,
    finance,
    fulfillment,
    logistics,
    orders,
    other,
    products,
    returns,
)
from tiktok_console.stores.tiktok.models.common import BatchResult

_CS = other.CustomerServiceData
_FBT = other.FbtData
_PROMO = other.PromotionData
_GLOBAL = other.GlobalProductData
_COMPLIANCE = other.ComplianceData
_SETUP = other.CatalogSetupData
_PRODUCT_X = other.ProductExtraData
_FULFIL_X = other.FulfillmentExtraData
_REQ = other.AreaRequest

_EVENTS = {
    name: events.WebhookEvent
    for name in (
        "CancellationStatusChangeEvent",
        "OrderStatusChangeEvent",
        "PackageUpdateEvent",
        "ProductCreationEvent",
        "ProductInformationChangeEvent",
        "ProductStatusChangeEvent",
        "RecipientAddressUpdateEvent",
        "ReturnStatusChangeEvent",
        "SellerDeauthorizationEvent",
        "UpcomingAuthorizationExpirationEvent",
    )
}

_CORE: dict[str, type[BaseModel]] = {
    # auth and shops
    "AuthGetTokenResponse": auth.AccessTokenGrant,
    "AuthRefreshTokenResponse": auth.AccessTokenGrant,
    "AuthorizationGetCategoryAssetsResponse": auth.CategoryAssets,
    "AuthorizationGetShopsResponse": auth.AuthorizedShops,
    # products
    "ProductSearchProductsRequest": products.SearchProductsRequest,
    "ProductSearchProductsResponse": products.ProductSearchPage,
    "ProductGetProductDetailResponse": products.ProductDetail,
    "ProductCreateProductRequest": products.CreateProductRequest,
    "ProductCreateProductResponse": products.ProductWriteResult,
    "ProductUpdateProductPartiallyRequest": products.PartialEditRequest,
    "ProductUpdateProductPartiallyResponse": products.ProductWriteResult,
    "ProductUpdateProductRequest": products.CreateProductRequest,
    "ProductUpdateProductResponse": products.ProductWriteResult,
    "ProductUpdateProductInventoryRequest": products.UpdateInventoryRequest,
    "ProductUpdateProductInventoryResponse": BatchResult,
    "ProductUpdateProductPriceRequest": products.UpdatePriceRequest,
    "ProductActivateProductsRequest": products.ProductIdsRequest,
    "ProductActivateProductsResponse": BatchResult,
    "ProductDeactivateProductsRequest": products.ProductIdsRequest,
    "ProductDeactivateProductsResponse": BatchResult,
    "ProductDeleteProductsRequest": products.ProductIdsRequest,
    "ProductDeleteProductsResponse": BatchResult,
    "ProductRecoverProductsRequest": products.ProductIdsRequest,
    "ProductRecoverProductsResponse": BatchResult,
    "ProductUploadImageResponse": products.UploadedImage,
    # orders
    "OrderSearchOrdersRequest": orders.SearchOrdersRequest,
    "OrderSearchOrdersResponse": orders.OrderPage,
    "OrderBatchGetOrderDetailResponse": orders.OrderList,
    # fulfillment
    "FulfillmentUpdateOrderPackagesRequest": fulfillment.MarkShippedRequest,
    "FulfillmentUpdateOrderPackagesResponse": fulfillment.MarkShippedResult,
    "FulfillmentUpdateOrderShippingInfoRequest": fulfillment.ShippingInfoUpdate,
    "FulfillmentUpdatePackageShippingInfoRequest": fulfillment.ShippingInfoUpdate,
    "FulfillmentGetPackageDetailResponse": fulfillment.PackageDetail,
    "FulfillmentSearchPackagesRequest": fulfillment.SearchPackagesRequest,
    "FulfillmentSearchPackagesResponse": fulfillment.PackagePage,
    "FulfillmentGetOrderTrackingResponse": fulfillment.OrderTracking,
    "FulfillmentShipPackageRequest": fulfillment.ShipPackageRequest,
    "FulfillmentBatchShipPackagesRequest": fulfillment.BatchShipRequest,
    "FulfillmentBatchShipPackagesResponse": BatchResult,
    # logistics
    "LogisticsGetWarehousesResponse": logistics.WarehouseList,
    "LogisticsGetWarehouseDeliveryOptionsResponse": logistics.DeliveryOptionList,
    "LogisticsGetDeliveryOptionShippingProvidersResponse": logistics.ShippingProviderList,
    "LogisticsGetGlobalWarehousesResponse": other.LogisticsExtraData,
    # returns and cancellations
    "ReturnRefundSearchReturnsRequest": returns.SearchReturnsRequest,
    "ReturnRefundSearchReturnsResponse": returns.ReturnPage,
    "ReturnRefundSearchCancellationsRequest": returns.SearchCancellationsRequest,
    "ReturnRefundSearchCancellationsResponse": returns.CancellationPage,
    "ReturnRefundApproveReturnRequest": returns.ApproveReturnRequest,
    "ReturnRefundRejectReturnRequest": returns.RejectRequest,
    "ReturnRefundRejectCancellationRequest": returns.RejectRequest,
    "ReturnRefundGetRejectReasonsResponse": returns.RejectReasonList,
    "ReturnRefundCreateCancellationRequest": returns.CreateCancellationRequest,
    "ReturnRefundCreateCancellationResponse": returns.CreatedCancellation,
    "ReturnRefundCreateReturnRequest": returns.CreateReturnRequest,
    "ReturnRefundCreateReturnResponse": returns.CreatedReturn,
    "ReturnRefundCalculateRefundRequest": returns.CalculateRefundRequest,
    "ReturnRefundCalculateRefundResponse": returns.RefundCalculation,
    "ReturnRefundGetOrderAftersaleEligibilityResponse": returns.AftersaleEligibility,
    "ReturnRefundGetReturnRecordsResponse": returns.ReturnRecords,
    # finance
    "FinanceGetStatementsResponse": finance.StatementPage,
    "FinanceGetPaymentsResponse": finance.PaymentPage,
    "FinanceGetStatementTransactionsResponse": finance.LegacyStatementTransactions,
    "FinanceGetOrderStatementTransactionsResponse": finance.LegacyOrderTransactions,
    "FinanceGetWithdrawalsResponse": finance.WithdrawalPage,
}

_OTHER: dict[str, type[BaseModel]] = {
    # customer service
    "CustomerServiceGetAgentSettingsResponse": _CS,
    "CustomerServiceUpdateAgentSettingsRequest": _REQ,
    "CustomerServiceCreateConversationMessageRequest": _REQ,
    "CustomerServiceCreateConversationMessageResponse": _CS,
    "CustomerServiceCreateConversationRequest": _REQ,
    "CustomerServiceCreateConversationResponse": _CS,
    "CustomerServiceGetConversationMessagesResponse": _CS,
    "CustomerServiceGetConversationsResponse": _CS,
    "CustomerServiceUploadImageResponse": _CS,
    "CustomerServiceGetPerformanceResponse": _CS,
    # webhook subscriptions
    "EventDeleteWebhookRequest": _REQ,
    "EventGetWebhooksResponse": other.WebhookList,
    "EventUpdateWebhookRequest": _REQ,
    # FBT
    "FBTGetGoodsRequest": _REQ,
    "FBTGetGoodsResponse": _FBT,
    "FBTGetInboundOrdersResponse": _FBT,
    "FBTGetInventoriesRequest": _REQ,
    "FBTGetInventoriesResponse": _FBT,
    "FBTGetInventoryRecordsRequest": _REQ,
    "FBTGetInventoryRecordsResponse": _FBT,
    "FBTGetMerchantOnboardedRegionsResponse": _FBT,
    "FBTGetWarehousesResponse": _FBT,
    # rarer fulfillment
    "FulfillmentCreateBundleRequest": _REQ,
    "FulfillmentCreateBundleResponse": _FULFIL_X,
    "FulfillmentGetOrderSplitAttributesResponse": _FULFIL_X,
    "FulfillmentSearchOrderShippingServicesRequest": _REQ,
    "FulfillmentSearchOrderShippingServicesResponse": _FULFIL_X,
    "FulfillmentSplitOrderRequest": _REQ,
    "FulfillmentSplitOrderResponse": _FULFIL_X,
    "FulfillmentCombinePackageRequest": _REQ,
    "FulfillmentCombinePackageResponse": _FULFIL_X,
    "FulfillmentSearchCombinablePackagesResponse": _FULFIL_X,
    "FulfillmentUncombinePackageRequest": _REQ,
    "FulfillmentUncombinePackageResponse": _FULFIL_X,
    "FulfillmentBatchUpdatePackagesDeliveryStatusRequest": _REQ,
    "FulfillmentBatchUpdatePackagesDeliveryStatusResponse": _FULFIL_X,
    "FulfillmentCreatePackageRequest": _REQ,
    "FulfillmentCreatePackageResponse": _FULFIL_X,
    "FulfillmentGetPackageHandoverTimeSlotsResponse": _FULFIL_X,
    "FulfillmentGetPackageShippingDocumentsResponse": _FULFIL_X,
    "FulfillmentUploadFileResponse": _FULFIL_X,
    "FulfillmentUploadImageResponse": _FULFIL_X,
    # external orders and price detail
    "OrderCreateExternalOrderRequest": _REQ,
    "OrderCreateExternalOrderResponse": other.OrderExtraData,
    "OrderGetExternalOrdersResponse": other.OrderExtraData,
    "OrderSearchExternalOrdersResponse": other.OrderExtraData,
    "OrderGetOrderPriceDetailResponse": other.OrderExtraData,
    # brands, categories, size charts
    "ProductCreateBrandRequest": _REQ,
    "ProductCreateBrandResponse": _SETUP,
    "ProductGetBrandsResponse": _SETUP,
    "ProductGetCategoriesResponse": _SETUP,
    "ProductGetCategoryAttributesResponse": _SETUP,
    "ProductGetCategoryRulesResponse": _SETUP,
    "ProductRecommendCategoriesRequest": _REQ,
    "ProductRecommendCategoriesResponse": _SETUP,
    "ProductSearchSizeChartsRequest": _REQ,
    "ProductSearchSizeChartsResponse": _SETUP,
    # compliance
    "ProductCreateComplianceManufacturerRequest": _REQ,
    "ProductCreateComplianceManufacturerResponse": _COMPLIANCE,
    "ProductCreateComplianceResponsiblePersonRequest": _REQ,
    "ProductCreateComplianceResponsiblePersonResponse": _COMPLIANCE,
    "ProductSearchComplianceManufacturersRequest": _REQ,
    "ProductSearchComplianceManufacturersResponse": _COMPLIANCE,
    "ProductSearchComplianceResponsiblePersonsRequest": _REQ,
    "ProductSearchComplianceResponsiblePersonsResponse": _COMPLIANCE,
    "ProductUpdateComplianceManufacturerPartiallyRequest": _REQ,
    "ProductUpdateComplianceResponsiblePersonPartiallyRequest": _REQ,
    # global products
    "ProductGetGlobalCategoriesResponse": _GLOBAL,
    "ProductGetGlobalCategoryAttributesResponse": _GLOBAL,
    "ProductGetGlobalCategoryRulesResponse": _GLOBAL,
    "ProductRecommendGlobalCategoriesRequest": _REQ,
    "ProductRecommendGlobalCategoriesResponse": _GLOBAL,
    "ProductCreateGlobalProductRequest": _REQ,
    "ProductCreateGlobalProductResponse": _GLOBAL,
    "ProductDeleteGlobalProductsRequest": _REQ,
    "ProductDeleteGlobalProductsResponse": _GLOBAL,
    "ProductGetGlobalProductDetailResponse": _GLOBAL,
    "ProductPublishGlobalProductRequest": _REQ,
    "ProductPublishGlobalProductResponse": _GLOBAL,
    "ProductSearchGlobalProductsRequest": _REQ,
    "ProductSearchGlobalProductsResponse": _GLOBAL,
    "ProductUpdateGlobalProductInventoryRequest": _REQ,
    "ProductUpdateGlobalProductRequest": _REQ,
    "ProductUpdateGlobalProductResponse": _GLOBAL,
    # rarer product endpoints
    "ProductCreateProductListingCheckRequest": _REQ,
    "ProductCreateProductListingCheckResponse": _PRODUCT_X,
    "ProductGetInventoriesRequest": _REQ,
    "ProductGetInventoriesResponse": _PRODUCT_X,
    "ProductGetListingSchemasResponse": _PRODUCT_X,
    "ProductGetPrerequisitesResponse": _PRODUCT_X,
    "ProductGetProductDiagnosesResponse": _PRODUCT_X,
    "ProductGetProductSEOWordsResponse": _PRODUCT_X,
    "ProductGetProductSuggestionsResponse": _PRODUCT_X,
    "ProductOptimizeImagesRequest": _REQ,
    "ProductOptimizeImagesResponse": _PRODUCT_X,
    "ProductUploadFileResponse": _PRODUCT_X,
    # promotions
    "PromotionCreateActivityRequest": _REQ,
    "PromotionCreateActivityResponse": _PROMO,
    "PromotionDeactivateActivityResponse": _PROMO,
    "PromotionDeleteActivityProductsRequest": _REQ,
    "PromotionDeleteActivityProductsResponse": _PROMO,
    "PromotionGetActivityDetailResponse": _PROMO,
    "PromotionSearchActivitiesRequest": _REQ,
    "PromotionSearchActivitiesResponse": _PROMO,
    "PromotionUpdateActivityProductsRequest": _REQ,
    "PromotionUpdateActivityProductsResponse": _PROMO,
    "PromotionUpdateActivityRequest": _REQ,
    "PromotionUpdateActivityResponse": _PROMO,
    "PromotionGetCouponDetailResponse": _PROMO,
    "PromotionSearchCouponsRequest": _REQ,
    "PromotionSearchCouponsResponse": _PROMO,
    # seller and supply chain
    "SellerGetPermissionsResponse": other.SellerData,
    "SellerGetShopsResponse": other.SellerData,
    "SupplyChainSyncPackagesRequest": _REQ,
    "SupplyChainSyncPackagesResponse": other.SupplyChainData,
}

SAMPLE_MODELS: dict[str, type[BaseModel]] = {**_EVENTS, **_CORE, **_OTHER}
"""Sample file name (no ``.json``) -> the model that reads it."""


def model_for_sample(name: str) -> type[BaseModel] | None:
    """The model for a sample file name (with or without ``.json``), if registered."""
    return SAMPLE_MODELS.get(name.removesuffix(".json"))
