//! "Did you mean …?" suggestions for misspelt option and mode names.

/// The optimal-string-alignment distance between `a` and `b`: the number of
/// single-character insertions, deletions, substitutions and transpositions
/// of two adjacent characters needed to turn one into the other
/// (`nmae` → `name` is 1).
pub(crate) fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    // rows[i][j] = distance between a[..i] and b[..j]; only three rows live.
    let mut before_previous: Vec<usize> = vec![0; b.len() + 1];
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    let mut current: Vec<usize> = vec![0; b.len() + 1];
    for i in 1..=a.len() {
        current[0] = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (previous[j] + 1)
                .min(current[j - 1] + 1)
                .min(previous[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(before_previous[j - 2] + 1);
            }
            current[j] = best;
        }
        core::mem::swap(&mut before_previous, &mut previous);
        core::mem::swap(&mut previous, &mut current);
    }
    previous[b.len()]
}

/// The candidate closest to `input`, if it is close enough to be a likely
/// typo: equal ignoring case, at most one edit per three characters (at
/// least one), or `input` abbreviates it (three characters at least).
pub(crate) fn nearest<'a>(input: &str, candidates: &[&'a str]) -> Option<&'a str> {
    if let Some(same) = candidates.iter().find(|c| c.eq_ignore_ascii_case(input)) {
        return Some(same);
    }
    let lowercase = input.to_ascii_lowercase();
    let limit = (input.chars().count() / 3).max(1);
    let closest = candidates
        .iter()
        .map(|candidate| (distance(&lowercase, candidate), *candidate))
        .filter(|(distance, _)| *distance <= limit)
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, candidate)| candidate);
    closest.or_else(|| {
        candidates
            .iter()
            .find(|c| lowercase.chars().count() >= 3 && c.starts_with(&lowercase))
            .copied()
    })
}

/// `"did you mean `name`? "` or nothing.
pub(crate) fn did_you_mean(input: &str, candidates: &[&str]) -> String {
    nearest(input, candidates).map_or_else(String::new, |c| format!("did you mean `{c}`? "))
}

/// `` `a` ``, `` `a` or `b` ``, `` `a`, `b` or `c` ``.
pub(crate) fn one_of(items: &[&str]) -> String {
    let quoted: Vec<String> = items.iter().map(|item| format!("`{item}`")).collect();
    match quoted.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances() {
        assert_eq!(distance("", ""), 0);
        assert_eq!(distance("name", "name"), 0);
        assert_eq!(distance("nmae", "name"), 1);
        assert_eq!(distance("nam", "name"), 1);
        assert_eq!(distance("names", "name"), 1);
        assert_eq!(distance("nome", "name"), 1);
        assert_eq!(distance("create_tsk", "create_task"), 1);
        assert_eq!(distance("kitten", "sitting"), 3);
        assert_eq!(distance("", "abc"), 3);
        assert_eq!(distance("abc", ""), 3);
        assert_eq!(distance("ca", "abc"), 3);
    }

    #[test]
    fn suggestions() {
        let task = ["name", "local", "limit", "crate"];
        assert_eq!(nearest("nmae", &task), Some("name"));
        assert_eq!(nearest("Name", &task), Some("name"));
        assert_eq!(nearest("NAME", &task), Some("name"));
        assert_eq!(nearest("lcoal", &task), Some("local"));
        assert_eq!(nearest("limt", &task), Some("limit"));
        assert_eq!(nearest("lim", &task), Some("limit"));
        assert_eq!(nearest("krate", &task), Some("crate"));
        assert_eq!(nearest("crate_", &task), Some("crate"));
        assert_eq!(nearest("flavor", &task), None);
        assert_eq!(nearest("x", &task), None);
        assert_eq!(nearest("", &task), None);
        let modes = ["create_task", "ensure_future", "after", "at", "every"];
        assert_eq!(nearest("create_tsk", &modes), Some("create_task"));
        assert_eq!(nearest("ensure_futur", &modes), Some("ensure_future"));
        assert_eq!(nearest("afer", &modes), Some("after"));
        assert_eq!(nearest("evry", &modes), Some("every"));
        assert_eq!(nearest("spawn", &modes), None);
        assert_eq!(did_you_mean("nmae", &task), "did you mean `name`? ");
        assert_eq!(did_you_mean("zzz", &task), "");
    }

    #[test]
    fn lists() {
        assert_eq!(one_of(&[]), "");
        assert_eq!(one_of(&["a"]), "`a`");
        assert_eq!(one_of(&["a", "b"]), "`a` or `b`");
        assert_eq!(one_of(&["a", "b", "c"]), "`a`, `b` or `c`");
    }
}
