//! Contract tests (filled by the campaigns work).
