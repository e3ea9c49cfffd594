"""The Practice Admins' Settings pages and API that compose several apps: the
practice's Secure Messaging settings and locations, onboarding a practice
(`create_practice`), the staff pages and the audit log viewer. It sits above
every app it composes (docs/ARCHITECTURE.md, "Layers"); only `huddle.demo` and
the URL conf import it."""
