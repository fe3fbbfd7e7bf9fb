//! Contract tests (filled by the website_workspace work).
