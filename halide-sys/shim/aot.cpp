// Ahead-of-time compilation: Halide's output files, multi-target libraries
// and standalone runtimes.
#include "shim.h"

using hl_shim::arg;
using hl_shim::output_files;
using hl_shim::output_kind;

HL_API char *hl_output_extension(const char *kind, const hl_target *t, hl_error **err) {
    HL_GUARD(err, nullptr, {
        const Halide::Target &target = arg(t, "hl_output_extension target").v;
        return hl_shim::copy_string(Halide::Internal::get_output_info(target).at(output_kind(kind, target)).extension);
    });
}

HL_API bool hl_pipeline_compile_to(hl_pipeline *p, const hl_target *const *targets, size_t n_targets,
                                   const char *fn_name, bool infer, const hl_param *const *scalars,
                                   const hl_image_param *const *buffers, size_t n_inputs, const char *const *kinds,
                                   const char *const *paths, size_t n_outputs, hl_error **err) {
    HL_GUARD(err, false, {
        Halide::Pipeline &pipeline = arg(p, "hl_pipeline_compile_to").v;
        if (!fn_name) throw std::invalid_argument("hl_pipeline_compile_to: null function name");
        if (n_targets == 0 || !targets) throw std::invalid_argument("hl_pipeline_compile_to: no target");
        std::vector<Halide::Target> ts;
        for (size_t i = 0; i < n_targets; i++) ts.push_back(arg(targets[i], "hl_pipeline_compile_to target").v);
        std::vector<Halide::Argument> inputs =
            hl_shim::pipeline_inputs(pipeline, infer, scalars, buffers, n_inputs).arguments;
        auto files = output_files(kinds, paths, n_outputs, ts[0]);
        // Module::compile does not write the serialized pipeline (generators
        // write it themselves), so it is written here, as they write it.
        auto hlpipe = files.find(Halide::OutputFileType::hlpipe);
        if (hlpipe != files.end()) {
            Halide::serialize_pipeline(pipeline, hlpipe->second);
            files.erase(hlpipe);
            if (files.empty()) return true;
        }
        bool log = files.count(Halide::OutputFileType::compiler_log) > 0;
        if (ts.size() == 1 && !log) {
            pipeline.compile_to(files, inputs, fn_name, ts[0]);
        } else {
            // Halide's order: the first target the running machine supports is
            // used, and the last one is the baseline that also supplies the
            // runtime and the shared code. Only this path writes a compiler
            // log, with the logger generators use.
            Halide::CompilerLoggerFactory logger = nullptr;
            if (log) {
                logger = [](const std::string &name, const Halide::Target &target) {
                    return std::unique_ptr<Halide::Internal::CompilerLogger>(
                        new Halide::Internal::JSONCompilerLogger("", name, "", target, "", false));
                };
            }
            Halide::compile_multitarget(
                fn_name, files, ts, {},
                [&](const std::string &name, const Halide::Target &target) {
                    return pipeline.compile_to_module(inputs, name, target);
                },
                logger);
        }
        return true;
    });
}

HL_API bool hl_compile_standalone_runtime(const hl_target *t, const char *const *kinds, const char *const *paths,
                                          size_t n_outputs, hl_error **err) {
    HL_GUARD(err, false, {
        const Halide::Target &target = arg(t, "hl_compile_standalone_runtime target").v;
        Halide::compile_standalone_runtime(output_files(kinds, paths, n_outputs, target), target);
        return true;
    });
}
