//! Function components, one concern each.

pub mod diagnostics;
pub mod editor;
pub mod preview;

use std::ops::Deref;
use std::rc::Rc;

/// Shared, immutable data handed to components as a prop. Two values are equal when they are the same
/// allocation: the state only ever replaces a render result wholesale, so pointer equality is exact and cheap.
#[derive(Debug)]
pub struct Shared<T>(pub Rc<T>);

impl<T> Clone for Shared<T> {
    fn clone(&self) -> Self {
        Shared(Rc::clone(&self.0))
    }
}

impl<T> PartialEq for Shared<T> {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl<T> Deref for Shared<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}
