//! The generator command line for this crate's generators.

fn main() -> std::process::ExitCode {
    halide::generator::main(halide_test_generators::ALL)
}
