//! `--name value` arguments, shared by the commands that take them.

/// Reads `--name value` pairs for the flags in `names`, each at most once; returns their
/// values in the order of `names` (`None` for an absent one). Errors name the flag and end
/// with `usage`.
pub fn values<'a>(
    args: &[&'a str],
    names: &[&str],
    command: &str,
    usage: &str,
) -> Result<Vec<Option<&'a str>>, String> {
    let mut values = vec![None; names.len()];
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        let Some(slot) = names.iter().position(|n| n == flag) else {
            return Err(format!("unknown {command} argument {flag:?}; {usage}"));
        };
        let value = it
            .next()
            .filter(|v| !v.starts_with("--"))
            .ok_or_else(|| format!("{flag} needs a value; {usage}"))?;
        if values[slot].replace(*value).is_some() {
            return Err(format!("{flag} is given twice; {usage}"));
        }
    }
    Ok(values)
}

/// The error for a required flag that is absent.
pub fn missing(flag: &str, usage: &str) -> String {
    format!("{flag} is required; {usage}")
}
