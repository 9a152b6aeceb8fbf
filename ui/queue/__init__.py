"""The queue (Hàng đợi) and the search page (Tra cứu): a lazy table over QueueService."""
