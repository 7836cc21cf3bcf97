//! The devices each API's driver reports, asked of the driver library the
//! Halide runtime loads (`libcuda`, `libOpenCL`, `libvulkan`), for the
//! report: which hardware (or software device) the checks ran on.

use halide_runtime::DeviceApi;
use libloading::{Library, Symbol};
use std::ffi::{CStr, c_char, c_int, c_uint, c_void};

/// The names of `api`'s devices, or why there are none.
pub fn names(api: DeviceApi) -> Result<Vec<String>, String> {
    // SAFETY: each function loads the API's own driver library and calls
    // its entry points with the signatures of its C headers.
    let names = unsafe {
        match api {
            DeviceApi::Cuda => cuda(),
            DeviceApi::OpenCl => opencl(),
            DeviceApi::Vulkan => vulkan(),
            DeviceApi::WebGpu => halide_wgpu::gpu()
                .map(|gpu| vec![gpu.adapter_name().to_owned()])
                .map_err(|e| e.to_string()),
            _ => Err("not queried".into()),
        }
    }?;
    if names.is_empty() {
        return Err("the driver reports no device".into());
    }
    Ok(names)
}

fn load(names: &[&str]) -> Result<Library, String> {
    let mut last = String::new();
    for name in names {
        // SAFETY: driver libraries run no code on load that needs more
        // than the process's usual state.
        match unsafe { Library::new(name) } {
            Ok(lib) => return Ok(lib),
            Err(e) => last = e.to_string(),
        }
    }
    Err(last)
}

fn symbol<'l, T>(lib: &'l Library, name: &str) -> Result<Symbol<'l, T>, String> {
    // SAFETY: the caller names the symbol with its C signature as `T`.
    unsafe { lib.get(name.as_bytes()) }.map_err(|e| e.to_string())
}

fn text(bytes: &[c_char]) -> String {
    // SAFETY: reinterpreting c_char as u8 for the NUL search below.
    let bytes = unsafe { &*(std::ptr::from_ref(bytes) as *const [u8]) };
    CStr::from_bytes_until_nul(bytes)
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// # Safety
/// Calls the CUDA driver API with the signatures of `cuda.h`.
unsafe fn cuda() -> Result<Vec<String>, String> {
    let lib = load(&["libcuda.so.1", "libcuda.so"])?;
    let init: Symbol<'_, unsafe extern "C" fn(c_uint) -> c_int> = symbol(&lib, "cuInit")?;
    let count: Symbol<'_, unsafe extern "C" fn(*mut c_int) -> c_int> =
        symbol(&lib, "cuDeviceGetCount")?;
    let get: Symbol<'_, unsafe extern "C" fn(*mut c_int, c_int) -> c_int> =
        symbol(&lib, "cuDeviceGet")?;
    let name: Symbol<'_, unsafe extern "C" fn(*mut c_char, c_int, c_int) -> c_int> =
        symbol(&lib, "cuDeviceGetName")?;
    // SAFETY: the caller's contract; every out-pointer is to a live local.
    unsafe {
        let status = init(0);
        if status != 0 {
            return Err(format!("cuInit returned {status}"));
        }
        let mut n = 0;
        count(&mut n);
        let mut names = Vec::new();
        for i in 0..n {
            let (mut device, mut buf) = (0, [0 as c_char; 256]);
            if get(&mut device, i) == 0 && name(buf.as_mut_ptr(), 256, device) == 0 {
                names.push(text(&buf));
            }
        }
        Ok(names)
    }
}

/// # Safety
/// Calls OpenCL with the signatures of `CL/cl.h`.
unsafe fn opencl() -> Result<Vec<String>, String> {
    const DEVICE_TYPE_ALL: u64 = 0xFFFF_FFFF;
    const DEVICE_NAME: c_uint = 0x102B;
    type Id = *mut c_void;
    let lib = load(&["libOpenCL.so.1", "libOpenCL.so"])?;
    let platforms: Symbol<'_, unsafe extern "C" fn(c_uint, *mut Id, *mut c_uint) -> c_int> =
        symbol(&lib, "clGetPlatformIDs")?;
    let devices: Symbol<'_, unsafe extern "C" fn(Id, u64, c_uint, *mut Id, *mut c_uint) -> c_int> =
        symbol(&lib, "clGetDeviceIDs")?;
    let info: Symbol<
        '_,
        unsafe extern "C" fn(Id, c_uint, usize, *mut c_void, *mut usize) -> c_int,
    > = symbol(&lib, "clGetDeviceInfo")?;
    // SAFETY: the caller's contract; arrays are passed with their lengths.
    unsafe {
        let mut ids = [std::ptr::null_mut(); 16];
        let mut n = 0;
        let status = platforms(16, ids.as_mut_ptr(), &mut n);
        if status != 0 {
            return Err(format!("clGetPlatformIDs returned {status}"));
        }
        let mut names = Vec::new();
        for &platform in &ids[..n.min(16) as usize] {
            let mut found = [std::ptr::null_mut(); 16];
            let mut m = 0;
            if devices(platform, DEVICE_TYPE_ALL, 16, found.as_mut_ptr(), &mut m) != 0 {
                continue;
            }
            for &device in &found[..m.min(16) as usize] {
                let mut buf = [0 as c_char; 256];
                let out = buf.as_mut_ptr().cast();
                if info(device, DEVICE_NAME, 255, out, std::ptr::null_mut()) == 0 {
                    names.push(text(&buf));
                }
            }
        }
        Ok(names)
    }
}

/// `VkInstanceCreateInfo`, with no layers or extensions.
#[repr(C)]
struct InstanceInfo {
    s_type: c_uint,
    next: *const c_void,
    flags: c_uint,
    application: *const c_void,
    layer_count: c_uint,
    layers: *const *const c_char,
    extension_count: c_uint,
    extensions: *const *const c_char,
}

/// # Safety
/// Calls Vulkan with the signatures of `vulkan_core.h`.
unsafe fn vulkan() -> Result<Vec<String>, String> {
    type Handle = *mut c_void;
    let lib = load(&["libvulkan.so.1", "libvulkan.so"])?;
    let create: Symbol<
        '_,
        unsafe extern "C" fn(*const InstanceInfo, *const c_void, *mut Handle) -> c_int,
    > = symbol(&lib, "vkCreateInstance")?;
    let destroy: Symbol<'_, unsafe extern "C" fn(Handle, *const c_void)> =
        symbol(&lib, "vkDestroyInstance")?;
    let enumerate: Symbol<'_, unsafe extern "C" fn(Handle, *mut c_uint, *mut Handle) -> c_int> =
        symbol(&lib, "vkEnumeratePhysicalDevices")?;
    let properties: Symbol<'_, unsafe extern "C" fn(Handle, *mut u64)> =
        symbol(&lib, "vkGetPhysicalDeviceProperties")?;
    let info = InstanceInfo {
        s_type: 1, // VK_STRUCTURE_TYPE_INSTANCE_CREATE_INFO
        next: std::ptr::null(),
        flags: 0,
        application: std::ptr::null(),
        layer_count: 0,
        layers: std::ptr::null(),
        extension_count: 0,
        extensions: std::ptr::null(),
    };
    // SAFETY: the caller's contract; the properties buffer (1 KiB of u64)
    // is larger than VkPhysicalDeviceProperties (824 bytes), whose
    // deviceName, 256 chars, starts after five 32-bit fields.
    unsafe {
        let mut instance = std::ptr::null_mut();
        let status = create(&info, std::ptr::null(), &mut instance);
        if status != 0 {
            return Err(format!("vkCreateInstance returned {status}"));
        }
        let mut n = 16;
        let mut devices = [std::ptr::null_mut(); 16];
        let status = enumerate(instance, &mut n, devices.as_mut_ptr());
        let mut names = Vec::new();
        if status >= 0 {
            for &device in &devices[..n.min(16) as usize] {
                let mut props = [0u64; 128];
                properties(device, props.as_mut_ptr());
                let name = props.as_ptr().cast::<c_char>().add(20);
                names.push(text(std::slice::from_raw_parts(name, 256)));
            }
        }
        destroy(instance, std::ptr::null());
        Ok(names)
    }
}
