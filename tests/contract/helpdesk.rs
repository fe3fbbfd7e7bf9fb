//! Contract tests (filled by the helpdesk work).
