//! Dynamic batching: concurrent portrait requests become one `session.run`.
//!
//! Requests go down a channel to one dedicated thread (inference is blocking CPU work, so it
//! never runs on the async runtime). The thread takes the first waiting request, then gathers
//! more until it has `max_batch` of them or `max_wait` has passed since the first, checks the
//! cache again (a twin request may have been decoded meanwhile), decodes each distinct portrait
//! of the batch once, caches it and answers every waiter through its oneshot channel. Requests
//! that queue during a run are picked up at once by the next gather, so under load batches fill
//! without waiting.

use super::cache::{PortraitCache, PortraitKey};
use super::error::GeneratorError;
use super::image::RgbImage;
use super::model::Model;
use super::stats::Counters;
use crate::genome::Genome;
use std::sync::mpsc::{self, RecvTimeoutError, TryRecvError};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};
use tokio::sync::oneshot;

/// What a request gets back.
pub(crate) type Answer = Result<Arc<RgbImage>, GeneratorError>;

/// How requests are gathered into runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BatchConfig {
    /// Most genomes in one `session.run`.
    pub max_batch: usize,
    /// Longest the first request of a batch waits for others (zero: take only what is queued).
    pub max_wait: Duration,
}

impl Default for BatchConfig {
    /// 8 genomes or 3 ms: a lone request waits at most 3 ms for company. On the CPU, ONNX
    /// Runtime's throughput on the trained generator (128², convolutional) is flat from batch 8
    /// up (≈ 210 portraits/s on 16 cores, 2.5× single runs), so larger batches would only make
    /// each run, and each waiter, slower.
    fn default() -> Self {
        BatchConfig { max_batch: 8, max_wait: Duration::from_millis(3) }
    }
}

/// One portrait asked of the batching thread.
struct Request {
    /// Cache key: requests with equal keys share one decode.
    key: PortraitKey,
    /// What to decode.
    genome: Genome,
    /// Where the answer goes; a dropped receiver (a cancelled request) is ignored.
    reply: oneshot::Sender<Answer>,
}

/// Owns the batching thread: [`Batcher::shutdown`] (or drop) stops taking requests, lets the
/// thread answer everything already queued, and joins it.
pub struct Batcher {
    /// The way in. None once shut down; dropping the sender is what tells the thread to finish.
    /// A Mutex so shutdown can take it through `&self`; held only for a channel send.
    queue: Mutex<Option<mpsc::Sender<Request>>>,
    /// The thread, joined on shutdown.
    thread: Mutex<Option<JoinHandle<()>>>,
}

impl Batcher {
    /// Start the batching thread over `model`, answering from and filling `cache`.
    pub(crate) fn start(
        model: Arc<Model>,
        cache: Arc<dyn PortraitCache>,
        config: BatchConfig,
        counters: Arc<Counters>,
    ) -> Result<Batcher, GeneratorError> {
        let (sender, receiver) = mpsc::channel();
        let config = BatchConfig { max_batch: config.max_batch.max(1), ..config };
        let thread = std::thread::Builder::new()
            .name("chimera-generator".into())
            .spawn(move || {
                while let Ok(first) = receiver.recv() {
                    let batch = gather(&receiver, first, config);
                    decode(batch, &model, cache.as_ref(), &counters);
                }
            })
            .map_err(|e| GeneratorError::Inference(format!("could not start the batching thread: {e}")))?;
        Ok(Batcher { queue: Mutex::new(Some(sender)), thread: Mutex::new(Some(thread)) })
    }

    /// Queue a request; the answer arrives on the returned channel (at once, as
    /// [`GeneratorError::ShutDown`], after shutdown).
    pub(crate) fn submit(&self, key: PortraitKey, genome: Genome) -> oneshot::Receiver<Answer> {
        let (reply, answer) = oneshot::channel();
        let queue = self.queue.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let refused = match queue.as_ref() {
            Some(sender) => sender.send(Request { key, genome, reply }).err().map(|e| e.0.reply),
            None => Some(reply),
        };
        if let Some(reply) = refused {
            let _ = reply.send(Err(GeneratorError::ShutDown));
        }
        answer
    }

    /// Stop taking requests, let the thread answer the queued ones, and wait for it. Idempotent.
    /// Blocks for at most the run in progress plus the queued ones.
    pub fn shutdown(&self) {
        self.queue.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).take();
        let thread = self.thread.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).take();
        if let Some(thread) = thread {
            // A panic in the thread has already answered its waiters with ShutDown (their
            // senders dropped); nothing more to report here.
            let _ = thread.join();
        }
    }
}

impl Drop for Batcher {
    fn drop(&mut self) {
        self.shutdown();
    }
}

/// `first` plus whatever else arrives before the batch is full or `max_wait` has passed.
fn gather(receiver: &mpsc::Receiver<Request>, first: Request, config: BatchConfig) -> Vec<Request> {
    let deadline = Instant::now() + config.max_wait;
    let mut batch = vec![first];
    while batch.len() < config.max_batch {
        match receiver.try_recv() {
            Ok(request) => {
                batch.push(request);
                continue;
            }
            Err(TryRecvError::Disconnected) => break,
            Err(TryRecvError::Empty) => {}
        }
        let now = Instant::now();
        if now >= deadline {
            break;
        }
        match receiver.recv_timeout(deadline - now) {
            Ok(request) => batch.push(request),
            Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) => break,
        }
    }
    batch
}

/// Answer a batch: from the cache where possible, else by one run over its distinct portraits.
fn decode(batch: Vec<Request>, model: &Model, cache: &dyn PortraitCache, counters: &Counters) {
    // (key, genome, everyone waiting for it), in arrival order; batches are small, so a linear
    // search beats hashing.
    let mut pending: Vec<(PortraitKey, Genome, Vec<oneshot::Sender<Answer>>)> = Vec::with_capacity(batch.len());
    for Request { key, genome, reply } in batch {
        if let Some(portrait) = cache.get(&key) {
            Counters::bump(&counters.cache_hits);
            let _ = reply.send(Ok(portrait));
        } else if let Some(entry) = pending.iter_mut().find(|(k, ..)| *k == key) {
            entry.2.push(reply);
        } else {
            pending.push((key, genome, vec![reply]));
        }
    }
    if pending.is_empty() {
        return;
    }
    let genomes: Vec<Genome> = pending.iter().map(|(_, genome, _)| *genome).collect();
    counters.batch(genomes.len());
    match model.run(&genomes) {
        Ok(portraits) => {
            for ((key, _, replies), portrait) in pending.into_iter().zip(portraits) {
                let portrait = Arc::new(portrait);
                cache.put(key, portrait.clone());
                for reply in replies {
                    let _ = reply.send(Ok(portrait.clone()));
                }
            }
        }
        Err(error) => {
            for reply in pending.into_iter().flat_map(|(_, _, replies)| replies) {
                let _ = reply.send(Err(error.clone()));
            }
        }
    }
}
