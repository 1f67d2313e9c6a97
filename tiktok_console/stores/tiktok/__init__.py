"""TikTok Shop Open API client: signing, requests, models, OAuth."""
