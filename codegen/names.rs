// Rust names derived from the spec, shared by `build.rs` and `xtask` (which checks that the
// names it will derive are unique).

/// `list_conversations` → `ListConversations`; `message:acknowledge:read:send` →
/// `MessageAcknowledgeReadSend`.
pub fn camel(name: &str) -> String {
    name.split([':', '_'])
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_uppercase().chain(c).collect::<String>())
                .unwrap_or_default()
        })
        .collect()
}
