"""Signing in and out: the staff sign-in and sign-out pages (the portal's use the
same `pages`), and the API's token (POST and DELETE /api/v1/auth/token). They
compose accounts with throttle and twofactor, so they sit above all three
(docs/ARCHITECTURE.md, "Layers")."""
