//! Halide tutorial lesson 24: producers on threads of their own.
//!
//! `async` runs a producer on a separate thread, synchronised with its
//! consumer by semaphores. Together with storage that holds more than one
//! chunk of the producer (folded storage, or `hoist_storage` plus
//! `ring_buffer`), the producer works on the next chunk while the consumer
//! reads the last: double buffering. Every schedule here computes the same
//! values, checked against plain Rust, and the lowered statement shows the
//! semaphores each one adds.

use halide::prelude::*;

/// The consumer of every section: a 3-tap diagonal sum of the producer.
fn diagonal_sum(producer: &Func, vars: &[&Var]) -> halide::Result<Func> {
    let shifted = |d: i32| -> Vec<Expr> {
        vars.iter()
            .enumerate()
            .map(|(i, v)| {
                if i < 2 {
                    v.expr() + d
                } else {
                    v.expr().clone()
                }
            })
            .collect()
    };
    let mut consumer = Func::new("consumer");
    consumer.define(
        vars,
        producer.at(shifted(-1)) + producer.at(shifted(0)) + producer.at(shifted(1)),
    )?;
    Ok(consumer)
}

/// The producer of the sections over planes, `(x + y) * (c + 1)`, and its
/// consumer.
fn planes(x: &Var, y: &Var, c: &Var) -> halide::Result<(Func, Func)> {
    let mut producer = Func::new("producer");
    producer.define([x, y, c], (x + y) * (c + 1))?;
    let consumer = diagonal_sum(&producer, &[x, y, c])?;
    Ok((producer, consumer))
}

/// [`run`] for the sections over planes: 128 x 128 x 4.
fn run_planes(consumer: &mut Func) -> halide::Result<usize> {
    run(consumer, &[128, 128, 4], |x, y, c| 3 * (x + y) * (c + 1))
}

/// Realizes `consumer` over `sizes`, checks each value against `expected`,
/// and returns how many semaphore operations its lowered statement has.
fn run(
    consumer: &mut Func,
    sizes: &[i32],
    expected: impl Fn(i32, i32, i32) -> i32,
) -> halide::Result<usize> {
    let stmt = consumer.lowered_stmt(&Target::host()?)?;
    let semaphores = stmt.matches("halide_semaphore_release").count();
    let out = consumer.realize::<i32>(sizes)?;
    let planes = sizes.get(2).copied().unwrap_or(1);
    for c in 0..planes {
        for y in 0..sizes[1] {
            for x in 0..sizes[0] {
                let at: Vec<i32> = [x, y, c][..sizes.len()].to_vec();
                let want = expected(x, y, c);
                if out.get(&at) != Some(want) {
                    return Err(halide::Error::invalid(format!(
                        "consumer{at:?} = {:?}, expected {want}",
                        out.get(&at)
                    )));
                }
            }
        }
    }
    Ok(semaphores)
}

fn main() -> halide::Result<()> {
    let [x, y, c, xo, yo, xi, yi] = Var::many(["x", "y", "c", "xo", "yo", "xi", "yi"]);

    // One producer on its own thread; the consumer waits until all of it
    // is ready.
    {
        let mut producer = Func::new("producer");
        producer.define([&x, &y], &x + &y)?;
        let mut consumer = diagonal_sum(&producer, &[&x, &y])?;
        consumer.compute_root()?;
        producer.compute_root()?.async_()?;
        let semaphores = run(&mut consumer, &[128, 128], |x, y, _| 3 * (x + y))?;
        assert!(semaphores >= 1, "async adds a semaphore");
        println!("one async producer: {semaphores} semaphore release(s)");
    }

    // Two producers at once, on two threads; the consumer waits for both.
    {
        let mut producer1 = Func::new("producer1");
        producer1.define([&x, &y], &x + &y)?;
        let mut producer2 = Func::new("producer2");
        producer2.define([&x, &y], &x + &y)?;
        let mut consumer = Func::new("consumer");
        consumer.define(
            [&x, &y],
            producer1.at((&x - 1, &y - 1))
                + producer2.at((&x, &y))
                + producer1.at((&x + 1, &y + 1)),
        )?;
        consumer.compute_root()?;
        producer1.compute_root()?.async_()?;
        producer2.compute_root()?.async_()?;
        let semaphores = run(&mut consumer, &[128, 128], |x, y, _| 3 * (x + y))?;
        assert!(semaphores >= 2, "one semaphore per async producer");
        println!("two async producers: {semaphores} semaphore release(s)");
    }

    // Double buffering by folding: the producer's storage holds two
    // planes, so it computes plane c + 1 while the consumer reads plane c.
    // Folding needs storage placed apart from the computation (store_at).
    {
        let (mut producer, mut consumer) = planes(&x, &y, &c)?;
        consumer.compute_root()?;
        producer
            .async_()?
            .compute_at(&consumer, &c)?
            .store_at(&consumer, &Var::outermost())?
            .fold_storage(&c, 2)?;
        let semaphores = run_planes(&mut consumer)?;
        // Two semaphores now: one says a plane is ready, one that its
        // slot is free again.
        assert!(semaphores >= 2);
        println!("folded double buffering: {semaphores} semaphore release(s)");
    }

    // The same with hoist_storage and ring_buffer: the storage is hoisted
    // out of the loop over planes and doubled, the slot picked from the
    // loop variables in between.
    {
        let (mut producer, mut consumer) = planes(&x, &y, &c)?;
        consumer.compute_root()?;
        producer
            .async_()?
            .compute_at(&consumer, &c)?
            .hoist_storage(&consumer, &Var::outermost())?
            .ring_buffer(2)?;
        let semaphores = run_planes(&mut consumer)?;
        assert!(semaphores >= 2);
        println!("ring-buffered planes: {semaphores} semaphore release(s)");
    }

    // A ring buffer works on any loop, not only on a storage dimension:
    // here the producer runs one 16x16 tile ahead of the consumer.
    {
        let (mut producer, mut consumer) = planes(&x, &y, &c)?;
        consumer.compute_root()?.tile_outer(
            &x,
            &y,
            &xo,
            &yo,
            &xi,
            &yi,
            16,
            16,
            TailStrategy::Auto,
        )?;
        producer
            .async_()?
            .compute_at(&consumer, &xo)?
            .hoist_storage(&consumer, &Var::outermost())?
            .ring_buffer(2)?;
        let semaphores = run_planes(&mut consumer)?;
        assert!(semaphores >= 2);
        println!("ring-buffered tiles: {semaphores} semaphore release(s)");
    }

    println!("Success!");
    Ok(())
}

#[test]
fn lesson() {
    main().unwrap();
}
