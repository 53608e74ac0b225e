"""Drafts from articles: news text in, a proposed card for an admin to review out."""
