//! Contract tests (filled in by the family owner).
