"""SQL shared by the store modules."""

ARTICLE_COLUMNS = "id, content_hash, url, source, title, text, html, language, published, meta"

