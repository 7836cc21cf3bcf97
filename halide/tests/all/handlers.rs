//! Runtime handlers: print, trace and error output routed to Rust.

use halide::math::print;
use halide::prelude::*;
use halide::{TraceEventKind, args};
use std::sync::{Arc, Mutex};

#[test]
fn trace_stores_reach_the_trace_handler() {
    let x = Var::new("x");
    let mut f = Func::new("traced");
    f.define([&x], &x * 3).unwrap();
    f.trace_stores().unwrap().trace_realizations().unwrap();
    let stores = Arc::new(Mutex::new(Vec::new()));
    let kinds = Arc::new(Mutex::new(Vec::new()));
    let (s, k) = (stores.clone(), kinds.clone());
    f.set_handlers(Handlers::new().on_trace(move |e| {
        k.lock().unwrap().push(e.kind);
        if e.kind == Some(TraceEventKind::Store) {
            // Halide makes repeated Func names unique with a `$n` suffix.
            assert!(e.func.starts_with("traced"), "{}", e.func);
            s.lock()
                .unwrap()
                .push((e.coordinates[0], e.value::<i32>().unwrap()));
        }
    }));
    f.realize::<i32>(&[4]).unwrap();
    assert_eq!(*stores.lock().unwrap(), [(0, 0), (1, 3), (2, 6), (3, 9)]);
    let kinds = kinds.lock().unwrap();
    assert!(kinds.contains(&Some(TraceEventKind::BeginPipeline)));
    assert!(kinds.contains(&Some(TraceEventKind::Produce)));
}

#[test]
fn vector_stores_report_every_lane() {
    let x = Var::new("x");
    let mut f = Func::new("traced_vec");
    f.define([&x], (&x * 2).cast::<i16>()).unwrap();
    f.vectorize(&x, 4).unwrap().trace_stores().unwrap();
    let values = Arc::new(Mutex::new(Vec::new()));
    let v = values.clone();
    f.set_handlers(Handlers::new().on_trace(move |e| {
        if e.kind == Some(TraceEventKind::Store) {
            assert_eq!(e.ty.unwrap().lanes, 4);
            v.lock().unwrap().extend(e.lanes::<i16>());
        }
    }));
    f.realize::<i16>(&[8]).unwrap();
    assert_eq!(*values.lock().unwrap(), [0, 2, 4, 6, 8, 10, 12, 14]);
}

#[test]
fn callables_route_output_and_errors_per_call() {
    let x = Var::new("x");
    let input = ImageParam::new::<i32>(1, "h_in");
    let mut f = Func::new("h_callable");
    f.define([&x], print((input.at([&x]), "at", &x))).unwrap();
    let printed = Arc::new(Mutex::new(String::new()));
    let errors = Arc::new(Mutex::new(String::new()));
    let (p, e) = (printed.clone(), errors.clone());
    let callable = Pipeline::new(&[&f])
        .unwrap()
        .compile(&Target::host().unwrap())
        .unwrap()
        .with_handlers(
            Handlers::new()
                .on_print(move |s| p.lock().unwrap().push_str(s))
                .on_error(move |s| e.lock().unwrap().push_str(s)),
        );
    let data = [5, 6];
    let mut out = Buffer::<i32>::new(&[2]).unwrap();
    callable
        .call(args![&BufferRef::new(&data, &[2]).unwrap(), &mut out])
        .unwrap();
    assert_eq!(*printed.lock().unwrap(), "5 at 0\n6 at 1\n");
    assert!(errors.lock().unwrap().is_empty());
    // Too small an input: the error handler sees what the Err carries.
    let mut big = Buffer::<i32>::new(&[3]).unwrap();
    let err = callable
        .call(args![&BufferRef::new(&data, &[2]).unwrap(), &mut big])
        .unwrap_err();
    let seen = errors.lock().unwrap().clone();
    assert!(
        !seen.is_empty() && err.message().contains(seen.trim_end()),
        "{seen} / {err}"
    );
}

#[test]
fn a_panicking_handler_unwinds_to_the_caller() {
    let x = Var::new("x");
    let mut f = Func::new("panicky");
    f.define([&x], print([&x])).unwrap();
    f.set_handlers(Handlers::new().on_print(|_| panic!("handler panicked")));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| f.realize::<i32>(&[3])));
    let payload = result.unwrap_err();
    assert_eq!(payload.downcast_ref::<&str>(), Some(&"handler panicked"));
    // The Func still works afterwards.
    f.set_handlers(Handlers::new().on_print(|_| {}));
    assert_eq!(f.realize::<i32>(&[3]).unwrap().as_slice(), &[0, 1, 2]);
}

struct Capture(Mutex<Vec<(log::Level, String)>>);

impl log::Log for Capture {
    fn enabled(&self, m: &log::Metadata<'_>) -> bool {
        m.target() == "halide"
    }
    fn log(&self, r: &log::Record<'_>) {
        if self.enabled(r.metadata()) {
            self.0
                .lock()
                .unwrap()
                .push((r.level(), r.args().to_string()));
        }
    }
    fn flush(&self) {}
}

static LOGGER: Capture = Capture(Mutex::new(Vec::new()));

#[test]
fn handlers_can_route_everything_to_log() {
    log::set_logger(&LOGGER).unwrap();
    log::set_max_level(log::LevelFilter::Trace);
    let x = Var::new("x");
    let limit = Param::<i32>::new("log_limit");
    let mut f = Func::new("logged");
    f.define(
        [&x],
        halide::math::require(x.lt(&limit), print((&x, "is logged")), ["too far"]),
    )
    .unwrap();
    f.set_handlers(Handlers::log());
    limit.set(10).unwrap();
    f.realize::<i32>(&[1]).unwrap();
    limit.set(0).unwrap();
    assert!(f.realize::<i32>(&[1]).is_err());
    let records = LOGGER.0.lock().unwrap();
    assert!(
        records.contains(&(log::Level::Info, "0 is logged".to_owned())),
        "{records:?}"
    );
    assert!(
        records
            .iter()
            .any(|(l, m)| *l == log::Level::Error && m.contains("too far")),
        "{records:?}"
    );
}

#[test]
fn input_loads_reach_the_trace_handler() {
    let x = Var::new("x");
    let input = ImageParam::new::<i32>(1, "traced_input");
    input.trace_loads().unwrap();
    let mut f = Func::new("reads_input");
    f.define([&x], input.at([&x * 2])).unwrap();
    let loads = Arc::new(Mutex::new(Vec::new()));
    let l = loads.clone();
    f.set_handlers(Handlers::new().on_trace(move |e| {
        if e.kind == Some(TraceEventKind::Load) {
            l.lock()
                .unwrap()
                .push((e.coordinates[0], e.value::<i32>().unwrap()));
        }
    }));
    let data: Vec<i32> = (0..8).map(|i| i * 100).collect();
    let out = f
        .realize_with::<i32>(&[4], &[input.bind(&BufferRef::new(&data, &[8]).unwrap())])
        .unwrap();
    assert_eq!(out.as_slice(), &[0, 200, 400, 600]);
    assert_eq!(
        *loads.lock().unwrap(),
        [(0, 0), (2, 200), (4, 400), (6, 600)]
    );
}
