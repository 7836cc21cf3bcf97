//! Halide tutorial lesson 4: debugging with tracing and print.
//!
//! `trace_stores` reports every value a Func computes, `print` and
//! `print_when` print values as they are computed. Here the reports go to
//! Rust closures (see `Handlers`), and the example checks them.

use halide::math::{print, print_when, sin};
use halide::prelude::*;
use halide::{TraceEvent, TraceEventKind};
use std::sync::{Arc, Mutex};

fn main() -> halide::Result<()> {
    let (x, y) = (Var::new("x"), Var::new("y"));

    // Tracing: every store to `gradient`, with its coordinates and value.
    let mut gradient = Func::new("gradient");
    gradient.define([&x, &y], &x + &y)?;
    gradient.trace_stores()?;
    let stores = Arc::new(Mutex::new(Vec::new()));
    let sink = stores.clone();
    gradient.set_handlers(Handlers::new().on_trace(move |e: &TraceEvent<'_>| {
        if e.kind == Some(TraceEventKind::Store) {
            sink.lock()
                .unwrap()
                .push((e.coordinates.to_vec(), e.value::<i32>().unwrap()));
        }
    }));
    gradient.realize::<i32>(&[4, 4])?;
    let stores = stores.lock().unwrap();
    // Row by row: y is the outer loop.
    let expected: Vec<(Vec<i32>, i32)> = (0..4)
        .flat_map(|j| (0..4).map(move |i| (vec![i, j], i + j)))
        .collect();
    assert_eq!(*stores, expected);
    println!(
        "lesson 4: traced {} stores, in row-major order",
        stores.len()
    );

    // print: the values of a subexpression as they are computed.
    let printed = Arc::new(Mutex::new(Vec::new()));
    let sink = printed.clone();
    let handlers = Handlers::new().on_print(move |s| sink.lock().unwrap().push(s.to_owned()));
    let mut f = Func::new("f");
    f.define(
        [&x, &y],
        sin(x.cast::<f32>()) + print((y.cast::<f32>(), "<- this is y")),
    )?;
    f.set_handlers(handlers.clone());
    f.realize::<f32>(&[2, 3])?;
    assert_eq!(printed.lock().unwrap().len(), 6);
    assert_eq!(printed.lock().unwrap()[5], "2.000000 <- this is y\n");

    // print_when: only where a condition holds.
    printed.lock().unwrap().clear();
    let mut g = Func::new("g");
    let e = (&x + &y).cast::<f32>();
    g.define(
        [&x, &y],
        print_when(x.eq(37).and(y.eq(42)), (e, "<- this is x + y at (37, 42)")),
    )?;
    g.set_handlers(handlers);
    let out = g.realize::<f32>(&[640, 480])?;
    assert_eq!(
        *printed.lock().unwrap(),
        ["79.000000 <- this is x + y at (37, 42)\n"]
    );
    assert_eq!(out.get(&[37, 42]), Some(79.0));
    println!("lesson 4: print and print_when reported exactly the expected values");
    Ok(())
}

#[test]
fn lesson() {
    main().unwrap();
}
