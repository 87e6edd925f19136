"""akhbar's dates: reading what a page prints, and the fields a consumer loads (no Scrapy here)."""
