//! The wgpu device and queue Halide's kernels run on: the caller's
//! ([`set_device`]) or one made on first use ([`gpu`]), and the
//! blocking transfers the device interface is built from.

use halide_runtime::{Error, ErrorCode};
use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError, RwLock};

/// A wgpu device and its queue, as Halide's kernels use them.
///
/// ```
/// match halide_wgpu::gpu() {
///     Ok(gpu) => println!("running on {}", gpu.adapter_name()),
///     Err(e) => println!("no device: {e}"),
/// }
/// ```
#[derive(Debug)]
pub struct Gpu {
    device: wgpu::Device,
    queue: wgpu::Queue,
    adapter_name: String,
    /// Tells caches which device their entries belong to.
    id: u64,
    /// Why the device was lost, once it is.
    lost: Arc<Mutex<Option<String>>>,
    /// Made by this crate (released by `halide_device_release`), not lent.
    default: bool,
}

static CURRENT: RwLock<Option<Arc<Gpu>>> = RwLock::new(None);
static NEXT_ID: AtomicU64 = AtomicU64::new(1);

impl Gpu {
    fn new(device: wgpu::Device, queue: wgpu::Queue, default: bool) -> Gpu {
        let adapter_name = device.adapter_info().name;
        let lost = Arc::new(Mutex::new(None));
        let slot = Arc::clone(&lost);
        device.set_device_lost_callback(move |reason, message| {
            let why = match message.is_empty() {
                true => format!("{reason:?}"),
                false => format!("{reason:?}: {message}"),
            };
            *slot.lock().unwrap_or_else(PoisonError::into_inner) = Some(why);
        });
        Gpu {
            device,
            queue,
            adapter_name,
            id: NEXT_ID.fetch_add(1, Ordering::Relaxed),
            lost,
            default,
        }
    }

    /// The wgpu device.
    pub fn device(&self) -> &wgpu::Device {
        &self.device
    }

    /// The queue kernels and copies are submitted to.
    pub fn queue(&self) -> &wgpu::Queue {
        &self.queue
    }

    /// The adapter's name (for Mesa's software Vulkan, `llvmpipe (…)`).
    pub fn adapter_name(&self) -> &str {
        &self.adapter_name
    }

    pub(crate) fn id(&self) -> u64 {
        self.id
    }

    /// `Err` once the device is lost.
    pub(crate) fn check(&self) -> Result<(), Error> {
        match &*self.lost.lock().unwrap_or_else(PoisonError::into_inner) {
            None => Ok(()),
            Some(why) => Err(Error::new(
                ErrorCode::GpuDeviceError,
                Some(format!("the WebGPU device was lost ({why})")),
            )),
        }
    }

    /// Runs `f` inside validation and out-of-memory error scopes and
    /// returns what they caught, with wgpu's (naga's, for shaders) message.
    pub(crate) fn scoped<T>(&self, code: ErrorCode, f: impl FnOnce() -> T) -> Result<T, Error> {
        self.check()?;
        let oom = self.device.push_error_scope(wgpu::ErrorFilter::OutOfMemory);
        let validation = self.device.push_error_scope(wgpu::ErrorFilter::Validation);
        let value = f();
        let caught = [block_on(validation.pop()), block_on(oom.pop())];
        if let Some(e) = caught.into_iter().flatten().next() {
            // A destroyed device says so through its lost callback, which
            // wgpu runs when the device is polled.
            let _ = self.device.poll(wgpu::PollType::Poll);
            self.check()?;
            return Err(Error::new(code, Some(format!("WebGPU: {e}"))));
        }
        self.check()?;
        Ok(value)
    }

    /// Waits for everything submitted so far.
    pub(crate) fn wait(&self) -> Result<(), Error> {
        self.check()?;
        self.device
            .poll(wgpu::PollType::wait_indefinitely())
            .map(drop)
            .map_err(|e| Error::new(ErrorCode::DeviceSyncFailed, Some(format!("WebGPU: {e}"))))
    }

    /// `len` bytes of `buffer` from `offset` (both multiples of 4).
    pub(crate) fn read(
        &self,
        buffer: &wgpu::Buffer,
        offset: u64,
        len: u64,
    ) -> Result<Vec<u8>, Error> {
        if len == 0 {
            return Ok(Vec::new());
        }
        let staging = self.scoped(ErrorCode::CopyToHostFailed, || {
            let staging = self.device.create_buffer(&wgpu::BufferDescriptor {
                label: Some("halide-wgpu staging"),
                size: len,
                usage: wgpu::BufferUsages::MAP_READ | wgpu::BufferUsages::COPY_DST,
                mapped_at_creation: false,
            });
            let mut encoder = self.device.create_command_encoder(&Default::default());
            encoder.copy_buffer_to_buffer(buffer, offset, &staging, 0, len);
            self.queue.submit([encoder.finish()]);
            staging
        })?;
        let (tx, rx) = std::sync::mpsc::channel();
        staging.slice(..).map_async(wgpu::MapMode::Read, move |r| {
            let _ = tx.send(r);
        });
        self.wait()?;
        let mapped = rx
            .recv()
            .map_err(|_| "the map callback never ran".to_owned());
        match mapped {
            Ok(Ok(())) => {}
            Ok(Err(e)) => return Err(copy_failed(e.to_string())),
            Err(e) => return Err(copy_failed(e)),
        }
        let bytes = staging
            .slice(..)
            .get_mapped_range()
            .map_err(|e| copy_failed(e.to_string()))?
            .to_vec();
        staging.unmap();
        Ok(bytes)
    }

    /// Writes `bytes` into `buffer` at `offset` (both multiples of 4).
    pub(crate) fn write(
        &self,
        buffer: &wgpu::Buffer,
        offset: u64,
        bytes: &[u8],
    ) -> Result<(), Error> {
        if bytes.is_empty() {
            return Ok(());
        }
        self.scoped(ErrorCode::CopyToDeviceFailed, || {
            self.queue.write_buffer(buffer, offset, bytes);
        })
    }
}

fn copy_failed(why: String) -> Error {
    Error::new(
        ErrorCode::CopyToHostFailed,
        Some(format!("WebGPU: mapping a staging buffer failed: {why}")),
    )
}

/// Runs a wgpu future to completion on this thread.
pub(crate) fn block_on<F: Future>(f: F) -> F::Output {
    pollster::block_on(f)
}

/// Makes Halide's kernels run on `device` and `queue` from now on (buffers
/// already on another device stay there), and returns them as a [`Gpu`].
///
/// ```
/// let instance = wgpu::Instance::new(wgpu::InstanceDescriptor::new_without_display_handle_from_env());
/// if let Ok(adapter) = pollster::block_on(instance.request_adapter(&Default::default())) {
///     let (device, queue) = pollster::block_on(adapter.request_device(&Default::default()))?;
///     let gpu = halide_wgpu::set_device(device, queue);
///     assert!(std::sync::Arc::ptr_eq(&halide_wgpu::gpu()?, &gpu));
/// }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn set_device(device: wgpu::Device, queue: wgpu::Queue) -> Arc<Gpu> {
    let gpu = Arc::new(Gpu::new(device, queue, false));
    *CURRENT.write().unwrap_or_else(PoisonError::into_inner) = Some(Arc::clone(&gpu));
    gpu
}

/// The device kernels run on: the one [`set_device`] gave, else one made
/// now on the first adapter wgpu offers (its limits raised to the
/// adapter's, `shader-f16` enabled where it exists).
pub fn gpu() -> Result<Arc<Gpu>, Error> {
    if let Some(gpu) = &*CURRENT.read().unwrap_or_else(PoisonError::into_inner) {
        return Ok(Arc::clone(gpu));
    }
    let mut current = CURRENT.write().unwrap_or_else(PoisonError::into_inner);
    if let Some(gpu) = &*current {
        return Ok(Arc::clone(gpu));
    }
    let gpu = Arc::new(default_gpu()?);
    *current = Some(Arc::clone(&gpu));
    Ok(gpu)
}

/// Forgets the current device if this crate made it (the next use makes
/// a new one); one the caller lent stays.
pub(crate) fn release_default(gpu: &Gpu) {
    let mut current = CURRENT.write().unwrap_or_else(PoisonError::into_inner);
    if current
        .as_ref()
        .is_some_and(|c| c.id == gpu.id && c.default)
    {
        *current = None;
    }
}

fn default_gpu() -> Result<Gpu, Error> {
    let no_device = |why: String| Error::new(ErrorCode::GpuDeviceError, Some(why));
    let instance =
        wgpu::Instance::new(wgpu::InstanceDescriptor::new_without_display_handle_from_env());
    let adapter = block_on(instance.request_adapter(&wgpu::RequestAdapterOptions {
        power_preference: wgpu::PowerPreference::HighPerformance,
        ..Default::default()
    }))
    .map_err(|e| no_device(format!("WebGPU: no adapter: {e}")))?;
    let features = adapter.features() & wgpu::Features::SHADER_F16;
    let (device, queue) = block_on(adapter.request_device(&wgpu::DeviceDescriptor {
        label: Some("halide-wgpu"),
        required_features: features,
        required_limits: adapter.limits(),
        ..Default::default()
    }))
    .map_err(|e| {
        no_device(format!(
            "WebGPU: no device on {}: {e}",
            adapter.get_info().name
        ))
    })?;
    Ok(Gpu::new(device, queue, true))
}
