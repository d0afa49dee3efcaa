//! Options and item of `#[task]`.

use proc_macro2::{Ident, Punct, Spacing, Span, TokenStream, TokenTree};

use crate::errors::Errors;
use crate::fn_item::{self, FnItem};
use crate::options::{self, CRATE, EAGER, LIMIT, LOCAL, Place, PositiveUsize, TASK_NAME};

/// How `#[task]` is used, for help messages.
pub(super) const USAGE: &str = "#[cosched::task] async fn name(..) { .. }";

/// The options of one `#[task(..)]`.
pub(super) struct TaskOptions {
    /// `name = ".."`: the task-name prefix (default: the function's name).
    pub(super) name: Option<syn::LitStr>,
    /// `local`: the body may be `!Send`.
    pub(super) local: bool,
    /// `eager`: its coroutines start at once when scheduled.
    pub(super) eager: bool,
    /// `limit = N`: at most `N` instances at once; `N` a literal, or a
    /// constant expression.
    pub(super) limit: Option<PositiveUsize>,
    /// `crate = path`, or `::cosched`.
    pub(super) krate: TokenStream,
    /// The same, as tokens (without calls into the compiler for the
    /// default, which a `TokenStream` would make to be taken apart).
    pub(super) krate_tokens: Vec<TokenTree>,
}

pub(super) fn options(args: TokenStream, errors: &mut Errors) -> TaskOptions {
    let options = options::parse_attribute(args, Place::Task, errors);
    let krate = options.crate_path();
    let krate_tokens = if options.path(CRATE.name).is_some() {
        krate.clone().into_iter().collect()
    } else {
        vec![
            Punct::new(':', Spacing::Joint).into(),
            Punct::new(':', Spacing::Alone).into(),
            Ident::new("cosched", Span::call_site()).into(),
        ]
    };
    TaskOptions {
        name: options.str(TASK_NAME.name).cloned(),
        local: options.flag(LOCAL.name),
        eager: options.flag(EAGER.name),
        limit: options.positive_usize(LIMIT.name).cloned(),
        krate,
        krate_tokens,
    }
}

pub(super) fn item(item: TokenStream) -> syn::Result<FnItem> {
    fn_item::parse(item, "task", USAGE)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_default() {
        let mut errors = Errors::new();
        let options = options(TokenStream::new(), &mut errors);
        assert!(errors.is_empty());
        assert!(options.name.is_none());
        assert!(!options.local);
        assert!(options.limit.is_none());
        assert_eq!(options.krate.to_string(), ":: cosched");
        let tokens: TokenStream = options.krate_tokens.into_iter().collect();
        assert_eq!(tokens.to_string(), ":: cosched");
    }

    #[test]
    fn options_all() {
        let mut errors = Errors::new();
        let args = r#"name = "tick", local, limit = 4, crate = rt"#
            .parse()
            .expect("tokenizes");
        let options = options(args, &mut errors);
        assert!(errors.is_empty());
        assert_eq!(options.name.map(|n| n.value()).as_deref(), Some("tick"));
        assert!(options.local);
        assert!(matches!(options.limit, Some(PositiveUsize::Literal(4, _))));
        assert_eq!(options.krate.to_string(), "rt");
        let tokens: TokenStream = options.krate_tokens.into_iter().collect();
        assert_eq!(tokens.to_string(), "rt");
    }
}
