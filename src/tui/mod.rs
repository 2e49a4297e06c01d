//! The interactive view: state, actions, rendering and input (to come).
