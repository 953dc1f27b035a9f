//! Reading what people write: one folding of free text (`text`), and what it says about
//! where someone works (`company_match`), their role (`title`), where they are (`geo`) and
//! what their own words signal (`signals`), in the seven supported languages.
//!
//! Readings are evidence, not verdicts: nothing here decides a category or a score (that is
//! `deciding/`), and nothing here knows the bot model. `text` is below every other module of
//! this room; `company_match` asks `title` whether words before a listed name are a title.

pub mod company_match;
pub mod geo;
pub mod signals;
pub mod text;
pub mod title;
