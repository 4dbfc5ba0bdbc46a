//! Share links, drafts and state codes in the page: the core's pure steps (`ccb_core::share`: [`share::payload`] /
//! [`share::Payload::frame`], [`share::unframe`] / [`share::read_json`]) around the browser's
//! `CompressionStream` / `DecompressionStream` (`browser::deflate_raw`, `browser::inflate_raw`). The page's wasm
//! holds no DEFLATE of its own; the format and its limits are the core's, the same as the CLI's.
//!
//! Compression is asynchronous, so a link is made once per project and language ([`encoded`]) and handed to
//! whoever asked (the share-link card, the state code, the address bar and the draft) when it is ready.

use std::cell::RefCell;
use std::rc::Rc;

use ccb_core::share::{self, Encoded, Packing, Payload, Shared, ShareError};
use ccb_core::{Lang, Project};

use crate::browser::{self, CodecError};

/// Why a link, a draft or a state code did not open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unopened {
    /// The core's reason (not ours, damaged, too large, …).
    Refused(ShareError),
    /// A `z1.` one, and this browser cannot inflate (no `DecompressionStream` for raw DEFLATE).
    NoDecompression,
}

/// A fragment (with or without `#`) as the project it shares: inflated by the browser, chunk by chunk and never
/// past [`share::MAX_JSON`] (a deflate bomb is refused as "too large", as natively).
pub async fn decode(fragment: &str) -> Result<Shared, Unopened> {
    let (packing, bytes) = share::unframe(fragment).map_err(Unopened::Refused)?;
    let json = match packing {
        Packing::Plain => bytes,
        Packing::Deflated => browser::inflate_raw(&bytes, share::MAX_JSON).await.map_err(|e| match e {
            CodecError::Missing => Unopened::NoDecompression,
            CodecError::Failed(why) => Unopened::Refused(ShareError::Corrupt(why)),
        })?,
    };
    share::read_json(&json).map_err(Unopened::Refused)
}

type Waiting = Vec<Box<dyn FnOnce(Rc<Encoded>)>>;

/// The link of the last project asked for: made, or being compressed (with who waits for it).
struct Last {
    project: Rc<Project>,
    lang: Lang,
    payload: Rc<Payload>,
    encoded: Option<Rc<Encoded>>,
    waiting: Waiting,
}

thread_local! {
    static LAST: RefCell<Option<Last>> = const { RefCell::new(None) };
}

/// A share link as [`encoded`] has it.
pub enum Link {
    Made(Rc<Encoded>),
    /// Being compressed: what is known before (the secrets left out).
    Pending(Rc<Payload>),
}

/// The project as a share link's fragment, in `lang`: made (at once for a short link), or pending, and then
/// `ready` gets it once the browser has compressed it. A link for another project or language is never handed
/// out: one still being made for an earlier project is dropped when it arrives (the page asks again for the
/// project it shows). Without `CompressionStream` the link is the plain `c1.` form.
pub fn encoded(project: &Rc<Project>, lang: Lang, ready: impl FnOnce(Rc<Encoded>) + 'static) -> Link {
    let (link, start) = LAST.with(|cell| {
        let mut cell = cell.borrow_mut();
        if let Some(last) = cell.as_mut().filter(|l| Rc::ptr_eq(&l.project, project) && l.lang == lang) {
            return match &last.encoded {
                Some(e) => (Link::Made(Rc::clone(e)), false),
                None => {
                    last.waiting.push(Box::new(ready));
                    (Link::Pending(Rc::clone(&last.payload)), false)
                }
            };
        }
        let payload = Rc::new(share::payload(project, Some(crate::i18n::tag(lang))));
        let (encoded, waiting): (_, Waiting) = if payload.compresses() { (None, vec![Box::new(ready)]) } else { (Some(Rc::new(payload.frame(None))), Vec::new()) };
        *cell = Some(Last { project: Rc::clone(project), lang, payload: Rc::clone(&payload), encoded: encoded.clone(), waiting });
        match encoded {
            Some(e) => (Link::Made(e), false),
            None => (Link::Pending(payload), true),
        }
    });
    if let (Link::Pending(payload), true) = (&link, start) {
        let (project, payload) = (Rc::clone(project), Rc::clone(payload));
        wasm_bindgen_futures::spawn_local(async move {
            let deflated = browser::deflate_raw(payload.json().as_bytes()).await.ok();
            finish(&project, lang, payload.frame(deflated.as_deref()));
        });
    }
    link
}

/// Hands `encoded` to who waits for `project`'s link, if that is still the one asked for last.
fn finish(project: &Rc<Project>, lang: Lang, encoded: Encoded) {
    let encoded = Rc::new(encoded);
    let waiting = LAST.with(|cell| match cell.borrow_mut().as_mut() {
        Some(last) if Rc::ptr_eq(&last.project, project) && last.lang == lang => {
            last.encoded = Some(Rc::clone(&encoded));
            std::mem::take(&mut last.waiting)
        }
        _ => Vec::new(),
    });
    for ready in waiting {
        ready(Rc::clone(&encoded));
    }
}

/// The page is being left: a link still being compressed is handed out now in its plain `c1.` form (the
/// compression's promise may never settle), unless that form is too long to open. The draft keeps the last edit.
pub fn settle_now() {
    let pending = LAST.with(|cell| {
        cell.borrow().as_ref().filter(|l| l.encoded.is_none()).map(|l| (Rc::clone(&l.project), l.lang, Rc::clone(&l.payload)))
    });
    if let Some((project, lang, payload)) = pending {
        let plain = payload.frame(None);
        if plain.refused != Some(ShareError::TooLong) {
            finish(&project, lang, plain);
        }
    }
}
