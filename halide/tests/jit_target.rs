//! HL_JIT_TARGET chooses the target of JIT compilation. A test binary of
//! its own, because it sets an environment variable.

use halide::prelude::*;

#[test]
fn hl_jit_target_sets_the_jit_target() {
    // SAFETY: this binary runs this one test, and nothing else in the
    // process reads or writes the environment meanwhile.
    unsafe { std::env::set_var("HL_JIT_TARGET", "host-no_asserts-trace_stores") };
    let t = Target::jit_from_environment().unwrap();
    assert!(t.has_feature("no_asserts").unwrap() && t.has_feature("trace_stores").unwrap());
    // Realizations compile for it: trace_stores reports every store.
    let x = Var::new("x");
    let mut f = Func::new("env_target");
    f.define([&x], &x + 1).unwrap();
    let stores = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let s = stores.clone();
    f.set_handlers(Handlers::new().on_trace(move |e| {
        if e.kind == Some(halide::TraceEventKind::Store) {
            s.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        }
    }));
    assert_eq!(f.realize::<i32>(&[5]).unwrap().as_slice(), &[1, 2, 3, 4, 5]);
    assert_eq!(stores.load(std::sync::atomic::Ordering::Relaxed), 5);

    // SAFETY: as above.
    unsafe { std::env::set_var("HL_JIT_TARGET", "x86-64-nonsense") };
    assert!(Target::jit_from_environment().is_err());
}
