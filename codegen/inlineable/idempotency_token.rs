//! Idempotency tokens for `@idempotencyToken` members the caller leaves unset.

// Inlineable (see `codegen/src/emit/inlineable.rs`): copied into a client crate whose model
// has an `@idempotencyToken` member; that crate then depends on `fastrand`.

/// A random UUID v4 (RFC 9562, section 5.4), as the official SDKs' default token provider
/// makes: 122 random bits, the version nibble `4` and the variant bits `10`.
pub(crate) fn uuid_v4() -> ::std::string::String {
    let bits = fastrand::u128(..);
    let bits = (bits & !(0xf << 76)) | (0x4 << 76);
    let bits = (bits & !(0b11 << 62)) | (0b10 << 62);
    let hex = ::std::format!("{bits:032x}");
    ::std::format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn tokens_are_version_4_variant_1_and_differ() {
        let a = super::uuid_v4();
        let b = super::uuid_v4();
        assert_ne!(a, b);
        for t in [a, b] {
            assert_eq!(t.len(), 36, "{t}");
            let groups: Vec<&str> = t.split('-').collect();
            assert_eq!(
                groups.iter().map(|g| g.len()).collect::<Vec<_>>(),
                [8, 4, 4, 4, 12]
            );
            assert!(groups[2].starts_with('4'), "version nibble of {t}");
            assert!(
                matches!(groups[3].as_bytes()[0], b'8' | b'9' | b'a' | b'b'),
                "variant bits of {t}"
            );
            assert!(t
                .chars()
                .all(|c| c == '-' || c.is_ascii_digit() || ('a'..='f').contains(&c)));
        }
    }
}
