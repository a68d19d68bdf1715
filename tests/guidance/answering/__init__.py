"""Questions with the answers a clinician expects: the audit's 93 and a blind set."""
