"""The audit log: who did what, in which ward, when and from where."""
