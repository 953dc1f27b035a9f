//! Training and evaluation of the bot model, offline: loading the labelled research data,
//! fitting the random forest, calibrating it, choosing the default threshold, and the
//! stratified cross-validation and leave-one-group-out evaluations reported in MODEL.md.
//!
//! The forest is grown by `smartcore` (its `RandomForestClassifier`, seeded, so training is
//! reproducible); this module then exports the trees into the engine's own model file
//! format (`engine::bot::forest::ForestFile`) and never runs at serving time. It does no
//! printing: the `followscore train-bot-model` and `eval-bots` commands (`cli/bot_model.rs`)
//! own the output.

pub mod calibration;
pub mod dataset;
pub mod metrics;
pub mod trainer;
pub mod validation;

pub use dataset::{Dataset, LabelledProfile, load_dataset, set_of};
pub use metrics::{CalibrationBin, Metrics, Prediction, calibration_table, evaluate};
pub use trainer::{DEFAULT_PRIOR, Example, TrainParams, TrainedModel, select_rows, train};
pub use validation::{GroupResult, cross_validate, leave_one_out};
