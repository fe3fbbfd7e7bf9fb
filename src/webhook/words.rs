//! Durations in a person's words, for the freshness errors.

/// A duration in a person's words, its two largest units rounded down: `21 hours`,
/// `1 minute 30 seconds`, `250 ms`; as an adjective when `adjective`, in the largest unit it is
/// a whole number of (`5-minute`, `90-second`).
pub(super) fn spoken(ms: u64, adjective: bool) -> String {
    const UNITS: [(u64, &str); 4] = [
        (86_400_000, "day"),
        (3_600_000, "hour"),
        (60_000, "minute"),
        (1000, "second"),
    ];
    if adjective {
        // The largest unit the window is a whole number of.
        return match UNITS
            .iter()
            .find(|(size, _)| ms > 0 && ms.is_multiple_of(*size))
        {
            Some((size, name)) => format!("{}-{name}", ms / size),
            None => format!("{ms}-millisecond"),
        };
    }
    if ms < 1000 {
        return format!("{ms} ms");
    }
    let mut parts = Vec::new();
    let mut rest = ms;
    for (size, name) in UNITS {
        let n = rest / size;
        rest %= size;
        if n == 0 {
            if parts.is_empty() {
                continue;
            }
            break;
        }
        parts.push(if n == 1 {
            format!("1 {name}")
        } else {
            format!("{n} {name}s")
        });
        if parts.len() == 2 {
            break;
        }
    }
    parts.join(" ")
}

#[cfg(test)]
mod tests {
    use super::spoken;

    #[test]
    fn durations_read_like_a_person_says_them() {
        assert_eq!(spoken(75_600_000, false), "21 hours");
        assert_eq!(spoken(90_000, false), "1 minute 30 seconds");
        assert_eq!(spoken(3_600_500, false), "1 hour");
        assert_eq!(spoken(250, false), "250 ms");
        assert_eq!(spoken(300_000, true), "5-minute");
        assert_eq!(spoken(90_000, true), "90-second");
        assert_eq!(spoken(1500, true), "1500-millisecond");
    }
}
