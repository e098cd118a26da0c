"""Channel adapters: each turns what a source system sends into a ``CaseDraft`` (and keeps the raw
payload), then the one registration service makes it a case. See ``base.receive``."""
