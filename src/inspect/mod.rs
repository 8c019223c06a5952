//! Turns live objects and allocator state into plain data for the explorer: field tables,
//! block placement, workloads. Everything the CLI prints is computed here (and tested here),
//! so what is printed is what is tested.

pub mod cost;
pub mod grow;
pub mod layout;
pub mod workload;
