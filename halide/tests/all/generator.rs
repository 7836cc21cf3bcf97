//! Generators written in Rust: what `generate` learns of the build (the
//! autoscheduler and its parameters) and the requirements it adds.

use halide::Autoscheduler;
use halide::args;
use halide::generator::{self, Generator, GeneratorContext, Signature};
use halide::prelude::*;
use std::sync::Mutex;

/// What a context said of its autoscheduler: which, with what parameters.
type Seen = (Option<Autoscheduler>, Vec<(String, String)>);

/// `out(x) = x * n`, requiring `n > 0`; records what its context said.
struct Scaled {
    seen: Mutex<Vec<Seen>>,
}

impl Generator for Scaled {
    fn name(&self) -> &str {
        "scaled"
    }

    fn generate(&self, g: &mut GeneratorContext) -> halide::Result<Signature> {
        self.seen
            .lock()
            .unwrap()
            .push((g.autoscheduler(), g.autoscheduler_params().to_vec()));
        let x = Var::new("x");
        let n = Param::<i32>::new("n");
        let mut out = Func::new("out");
        out.define([&x], &x * &n)?;
        if g.using_autoscheduler() {
            out.set_estimates(&[(0, 64)])?;
            n.set_estimate(3)?;
        }
        Signature::new()
            .requirement(n.expr().gt(0), ("n must be positive, not", &n))
            .input(n)
            .output::<i32>(out, 1)
    }
}

#[test]
fn generators_see_the_autoscheduler_and_add_requirements() {
    let g = Scaled {
        seen: Mutex::new(Vec::new()),
    };
    let callable = generator::compile_jit(&g, &[], &Target::host().unwrap()).unwrap();
    let mut out = Buffer::<i32>::new(&[4]).unwrap();
    callable.call(args![3, &mut out]).unwrap();
    assert_eq!(out.as_slice(), &[0, 3, 6, 9]);
    let err = callable.call(args![-2, &mut out]).unwrap_err();
    assert!(
        err.message().contains("n must be positive, not -2"),
        "{err}"
    );

    let dir = std::env::temp_dir().join(format!("halide-generator-{}", std::process::id()));
    let words = [
        "-g",
        "scaled",
        "-o",
        dir.to_str().unwrap(),
        "-e",
        "static_library,c_header",
        "target=host",
        "autoscheduler=Mullapudi2016",
        "autoscheduler.parallelism=4",
    ];
    generator::run(&[&g], words.map(str::to_owned)).unwrap();
    assert!(dir.join("scaled.h").exists());
    std::fs::remove_dir_all(&dir).unwrap();
    let seen = g.seen.lock().unwrap();
    assert_eq!(seen[0], (None, vec![]));
    assert_eq!(
        seen[1],
        (
            Some(Autoscheduler::Mullapudi2016),
            vec![("parallelism".to_owned(), "4".to_owned())]
        )
    );
}
