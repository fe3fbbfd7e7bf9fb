//! Contract tests (filled by the plans_media_bucket work).
