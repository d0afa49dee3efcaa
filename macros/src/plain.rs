//! Reading the commonest signatures without syn's parser.
//!
//! Macros run in the user's build as it is compiled, unoptimized in a debug
//! build: there, syn's parser for a signature costs more than all the rest
//! of a `#[task]` (about 0.15 ms per fn). The signatures most tasks have are
//! read here token by token instead:
//!
//! ```text
//! #[attrs] [pub | pub(..)] async fn name(a: A, b: B) [-> R]
//! ```
//!
//! where every argument is a plain identifier and every type a path with
//! type arguments (`u64`, `String`, `Vec<u8>`, `std::time::Duration`,
//! `Result<String, Error>`) or a tuple of such types. Anything else (a
//! generic parameter, a pattern, a reference or lifetime, `impl Trait`,
//! `!`, a missing `async`, …) is left to syn, which also says what is wrong.
//! The syntax trees built here are the ones syn's parser builds for the same
//! tokens (`tests::plain_signatures_read_as_syn_reads_them` compares them).

use proc_macro2::{Delimiter, Group, Ident, Punct, Spacing, TokenTree};
use syn::parse::Parser as _;
use syn::punctuated::Punctuated;
use syn::{
    AngleBracketedGenericArguments, Attribute, FnArg, GenericArgument, Generics, Pat, PatIdent,
    PatType, Path, PathArguments, PathSegment, ReturnType, Safety, Signature, Token, Type,
    TypeParen, TypePath, TypeTuple, Visibility, token,
};

/// The attributes, visibility and signature in `head` (an `fn` item's
/// tokens before its body), if the signature is plain enough.
pub(crate) fn signature(head: &[TokenTree]) -> Option<(Vec<Attribute>, Visibility, Signature)> {
    let mut rest = head;
    let mut attributes = 0;
    while let [TokenTree::Punct(pound), TokenTree::Group(group), ..] = &rest[attributes..] {
        if pound.as_char() != '#' || group.delimiter() != Delimiter::Bracket {
            break;
        }
        attributes += 2;
    }
    let attrs = if attributes == 0 {
        Vec::new()
    } else {
        let tokens = rest[..attributes].iter().cloned().collect();
        Attribute::parse_outer.parse2(tokens).ok()?
    };
    rest = &rest[attributes..];
    let vis = match rest {
        [
            TokenTree::Ident(pub_token),
            TokenTree::Group(group),
            after @ ..,
        ] if pub_token == "pub" && group.delimiter() == Delimiter::Parenthesis => {
            let tokens = rest[..2].iter().cloned().collect();
            rest = after;
            syn::parse2(tokens).ok()?
        }
        [TokenTree::Ident(pub_token), after @ ..] if pub_token == "pub" => {
            rest = after;
            Visibility::Public(Token![pub](pub_token.span()))
        }
        _ => Visibility::Inherited,
    };
    let [
        TokenTree::Ident(async_token),
        TokenTree::Ident(fn_token),
        TokenTree::Ident(ident),
        TokenTree::Group(arguments),
        output @ ..,
    ] = rest
    else {
        return None;
    };
    if async_token != "async"
        || fn_token != "fn"
        || is_keyword(ident)
        || arguments.delimiter() != Delimiter::Parenthesis
    {
        return None;
    }
    let output = match output {
        [] => ReturnType::Default,
        [TokenTree::Punct(dash), TokenTree::Punct(gt), ty @ ..]
            if dash.as_char() == '-' && dash.spacing() == Spacing::Joint && gt.as_char() == '>' =>
        {
            let ty = whole_type(ty)?;
            ReturnType::Type(Token![->]([dash.span(), gt.span()]), Box::new(ty))
        }
        _ => return None,
    };
    Some((
        attrs,
        vis,
        Signature {
            constness: None,
            asyncness: Some(Token![async](async_token.span())),
            safety: Safety::Default,
            abi: None,
            fn_token: Token![fn](fn_token.span()),
            ident: ident.clone(),
            generics: Generics::default(),
            paren_token: token::Paren(arguments.delim_span()),
            inputs: inputs(arguments)?,
            variadic: None,
            output,
        },
    ))
}

/// `a: A, b: B`, each argument a plain identifier.
fn inputs(arguments: &Group) -> Option<Punctuated<FnArg, Token![,]>> {
    let tokens: Vec<TokenTree> = arguments.stream().into_iter().collect();
    let mut inputs = Punctuated::new();
    let mut rest = tokens.as_slice();
    while let [TokenTree::Ident(ident), TokenTree::Punct(colon), after @ ..] = rest {
        if is_keyword(ident) || colon.as_char() != ':' || colon.spacing() != Spacing::Alone {
            return None;
        }
        let (ty, after) = ty(after)?;
        inputs.push_value(FnArg::Typed(PatType {
            attrs: Vec::new(),
            pat: Box::new(Pat::Ident(PatIdent {
                attrs: Vec::new(),
                by_ref: None,
                mutability: None,
                ident: ident.clone(),
                subpat: None,
            })),
            colon_token: Token![:](colon.span()),
            ty: Box::new(ty),
        }));
        rest = next_element(after, &mut inputs)?;
    }
    rest.is_empty().then_some(inputs)
}

/// The tokens after an element of a comma-separated list: none at the
/// list's end, or those after a comma, which is pushed onto `list`; `None`
/// for anything else, which is not plain.
fn next_element<'a, T>(
    rest: &'a [TokenTree],
    list: &mut Punctuated<T, Token![,]>,
) -> Option<&'a [TokenTree]> {
    match rest {
        [] => Some(rest),
        [TokenTree::Punct(comma), after @ ..] if comma.as_char() == ',' => {
            list.push_punct(Token![,](comma.span()));
            Some(after)
        }
        _ => None,
    }
}

/// All of `tokens` as one type.
fn whole_type(tokens: &[TokenTree]) -> Option<Type> {
    match ty(tokens)? {
        (ty, []) => Some(ty),
        _ => None,
    }
}

/// A type at the start of `tokens`, and the tokens after it.
fn ty(tokens: &[TokenTree]) -> Option<(Type, &[TokenTree])> {
    match tokens {
        [TokenTree::Group(group), rest @ ..] if group.delimiter() == Delimiter::Parenthesis => {
            Some((tuple(group)?, rest))
        }
        _ => {
            let (path, rest) = path(tokens)?;
            Some((
                Type::Path(TypePath {
                    attrs: Vec::new(),
                    qself: None,
                    path,
                }),
                rest,
            ))
        }
    }
}

/// `()`, `(A)` (a parenthesized type) or `(A, B)`.
fn tuple(group: &Group) -> Option<Type> {
    let tokens: Vec<TokenTree> = group.stream().into_iter().collect();
    let mut elems = Punctuated::new();
    let mut rest = tokens.as_slice();
    while !rest.is_empty() {
        let (ty, after) = ty(rest)?;
        elems.push_value(ty);
        rest = next_element(after, &mut elems)?;
    }
    let paren_token = token::Paren(group.delim_span());
    if elems.len() == 1 && !elems.trailing_punct() {
        let elem = elems.into_iter().next()?;
        return Some(Type::Paren(TypeParen {
            attrs: Vec::new(),
            paren_token,
            elem: Box::new(elem),
        }));
    }
    Some(Type::Tuple(TypeTuple {
        attrs: Vec::new(),
        paren_token,
        elems,
    }))
}

/// `[::]a::b<T, U>::c`: segments of identifiers, each with optional type
/// arguments.
fn path(tokens: &[TokenTree]) -> Option<(Path, &[TokenTree])> {
    let (leading_colon, mut rest) = match colon2(tokens) {
        Some((colon2, rest)) => (Some(colon2), rest),
        None => (None, tokens),
    };
    let mut segments = Punctuated::new();
    loop {
        let [TokenTree::Ident(ident), after @ ..] = rest else {
            return None;
        };
        let first = segments.is_empty() && leading_colon.is_none();
        if is_keyword(ident) && !(first && (ident == "crate" || ident == "super")) {
            return None;
        }
        let (arguments, after) = match after {
            [TokenTree::Punct(lt), after @ ..] if lt.as_char() == '<' => {
                let (arguments, after) = type_arguments(lt, after)?;
                (PathArguments::AngleBracketed(arguments), after)
            }
            _ => (PathArguments::None, after),
        };
        segments.push_value(PathSegment {
            ident: ident.clone(),
            arguments,
        });
        match colon2(after) {
            Some((colon2, after)) => {
                segments.push_punct(colon2);
                rest = after;
            }
            None => {
                return Some((
                    Path {
                        leading_colon,
                        segments,
                    },
                    after,
                ));
            }
        }
    }
}

/// `<T, U>` after `<`: types only.
fn type_arguments<'a>(
    lt: &Punct,
    mut rest: &'a [TokenTree],
) -> Option<(AngleBracketedGenericArguments, &'a [TokenTree])> {
    let mut args = Punctuated::new();
    loop {
        if let [TokenTree::Punct(gt), after @ ..] = rest
            && gt.as_char() == '>'
        {
            let arguments = AngleBracketedGenericArguments {
                colon2_token: None,
                lt_token: Token![<](lt.span()),
                args,
                gt_token: Token![>](gt.span()),
            };
            return Some((arguments, after));
        }
        let (ty, after) = ty(rest)?;
        args.push_value(GenericArgument::Type(ty));
        rest = after;
        match rest {
            [TokenTree::Punct(comma), after @ ..] if comma.as_char() == ',' => {
                args.push_punct(Token![,](comma.span()));
                rest = after;
            }
            [TokenTree::Punct(gt), ..] if gt.as_char() == '>' => {}
            _ => return None,
        }
    }
}

/// `::` at the start of `tokens`.
fn colon2(tokens: &[TokenTree]) -> Option<(Token![::], &[TokenTree])> {
    match tokens {
        [TokenTree::Punct(first), TokenTree::Punct(second), rest @ ..]
            if first.as_char() == ':'
                && first.spacing() == Spacing::Joint
                && second.as_char() == ':' =>
        {
            Some((Token![::]([first.span(), second.span()]), rest))
        }
        _ => None,
    }
}

/// Keywords (strict, reserved and weak ones that matter here), and `_`:
/// none is a plain identifier.
fn is_keyword(ident: &Ident) -> bool {
    // A binary search of the sorted list: a `match` on the string compares
    // with every keyword in turn, which is slow in an unoptimized build.
    KEYWORDS.binary_search(&ident.to_string().as_str()).is_ok()
}

/// What [`is_keyword`] looks for, in `str`'s order.
const KEYWORDS: &[&str] = &[
    "Self", "_", "abstract", "as", "async", "await", "become", "box", "break", "const", "continue",
    "crate", "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if",
    "impl", "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub",
    "ref", "return", "safe", "self", "static", "struct", "super", "trait", "true", "try", "type",
    "typeof", "union", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

#[cfg(test)]
mod tests {
    #[test]
    fn keywords_are_sorted_for_binary_search() {
        assert!(super::KEYWORDS.is_sorted(), "{:?}", super::KEYWORDS);
    }

    use proc_macro2::TokenStream;
    use quote::ToTokens as _;

    use super::*;
    use crate::tests::tokens;

    /// What syn's parser reads from `head`.
    fn by_syn(head: TokenStream) -> syn::Result<(Vec<Attribute>, Visibility, Signature)> {
        let parser = |input: syn::parse::ParseStream<'_>| {
            let attrs = input.call(Attribute::parse_outer)?;
            let vis: Visibility = input.parse()?;
            let sig: Signature = input.parse()?;
            Ok((attrs, vis, sig))
        };
        parser.parse2(head)
    }

    fn render((attrs, vis, sig): &(Vec<Attribute>, Visibility, Signature)) -> String {
        let mut tokens = TokenStream::new();
        for attr in attrs {
            attr.to_tokens(&mut tokens);
        }
        vis.to_tokens(&mut tokens);
        sig.to_tokens(&mut tokens);
        tokens.to_string()
    }

    #[test]
    fn plain_signatures_read_as_syn_reads_them() {
        for head in [
            "async fn f()",
            "pub async fn f(x: u64) -> u64",
            "pub(crate) async fn r#match(r#in: u8, name: String, times: usize) -> usize",
            "/// Docs.\n#[inline] #[must_use = \"no\"] pub(in crate::m) async fn f(b: Vec<u8>) -> Option<u8>",
            "async fn f(a: std::time::Duration, b: ::std::string::String,) -> Result<String, Error>",
            "async fn f(m: HashMap<String, Vec<Arc<Mutex<u8>>>>, c: crate::Config, s: super::S)",
            "async fn f(t: (u32, String), u: (), p: (u32), one: (u8,)) -> (u32, Vec<(u8, u8)>)",
            "async fn f(v: Vec<u8,>, w: a::b<c>::d)",
        ] {
            let trees: Vec<TokenTree> = tokens(head).into_iter().collect();
            let plain = signature(&trees).unwrap_or_else(|| panic!("not read: {head}"));
            let syn = by_syn(tokens(head)).unwrap_or_else(|e| panic!("{head}: {e}"));
            assert_eq!(render(&plain), render(&syn), "{head}");
        }
    }

    #[test]
    fn other_signatures_are_left_to_syn() {
        for head in [
            "fn f()",
            "async unsafe fn f()",
            "const async fn f()",
            "async fn f<T>(x: T)",
            "async fn f(x: u32) where u32: Copy",
            "async fn f(mut x: u32)",
            "async fn f(_: u32)",
            "async fn f((a, b): (u32, u32))",
            "async fn f(#[cfg(x)] x: u32)",
            "async fn f(&self)",
            "async fn f(self)",
            "async fn f(mut self, x: u32)",
            "async fn f(self: Arc<Self>, x: u32)",
            "async fn f(x: &str)",
            "async fn f(x: &'static str)",
            "async fn f(x: Cow<'static, str>)",
            "async fn f(x: impl Display)",
            "async fn f(x: Box<dyn Display>)",
            "async fn f(x: fn(u32) -> u32)",
            "async fn f(x: [u8; 4])",
            "async fn f(x: Foo<3>)",
            "async fn f(x: Iterator<Item = u8>)",
            "async fn f(x: <T as Tr>::A)",
            "async fn f(x: Self)",
            "async fn f(x: mac!())",
            "async fn f(x: u32 u32)",
            "async fn f(x u32)",
            "async fn f(x: u32,,)",
            "async fn f(x: ::)",
            "async fn f() -> !",
            "async fn f() -> impl Display",
            "async fn f() -> _",
            "async fn f() -> u32 u32",
            "async fn f() ->",
            "async fn match()",
            "pub(crate) crate async fn f()",
            "#![inner] async fn f()",
        ] {
            let trees: Vec<TokenTree> = tokens(head).into_iter().collect();
            assert!(signature(&trees).is_none(), "read: {head}");
        }
    }
}
