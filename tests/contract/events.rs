//! Contract tests (filled by the events work).
