"""What a person is told when their practice has switched messaging off
(Settings > Secure Messaging, F1): every app that refuses for it says the same."""

SECURE_MESSAGING_OFF = (
    "Secure Messaging is turned off for this practice. "
    "A Practice Admin can turn it on in Settings > Secure Messaging."
)
PRACTICE_MESSAGING_OFF = (
    "Practice Messaging is turned off for this practice. "
    "A Practice Admin can turn it on in Settings > Secure Messaging."
)
