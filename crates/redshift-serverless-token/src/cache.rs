//! The cache, its builder, and the refresh logic.

use std::collections::HashMap;
use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard, Weak};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use aws_smithy_async::rt::sleep::{default_async_sleep, AsyncSleep, SharedAsyncSleep};
use aws_smithy_async::time::{SharedTimeSource, TimeSource};
use aws_smithy_runtime_api::client::result::SdkError;
use redshift_serverless_client::operation::get_identity_center_auth_token::GetIdentityCenterAuthTokenInput;
use redshift_serverless_client::Client;
use redshift_serverless_constraints::Validate;
use tokio::sync::{oneshot, Notify};
use zeroize::Zeroizing;

use crate::error::TokenError;
use crate::key::{hash_names, with_normalized, BuildIdentity};
use crate::token::IdentityCenterToken;

/// Default [`TokenCacheBuilder::margin`].
pub const DEFAULT_MARGIN: Duration = Duration::from_secs(60);
/// Default [`TokenCacheBuilder::refresh_ahead`].
pub const DEFAULT_REFRESH_AHEAD: Duration = Duration::from_secs(5 * 60);
/// Default [`TokenCacheBuilder::refresh_ahead_fraction`].
pub const DEFAULT_REFRESH_AHEAD_FRACTION: f64 = 0.1;
/// Default [`TokenCacheBuilder::capacity`].
pub const DEFAULT_CAPACITY: usize = 256;
/// Default first delay of [`TokenCacheBuilder::retry_backoff`].
pub const DEFAULT_BACKOFF_INITIAL: Duration = Duration::from_secs(1);
/// Default cap of [`TokenCacheBuilder::retry_backoff`].
pub const DEFAULT_BACKOFF_MAX: Duration = Duration::from_secs(30);

/// How long the background task sleeps when nothing is scheduled; it is also woken whenever
/// a token is stored, so this only bounds how late it notices a key that became busy again.
const BACKGROUND_IDLE: Duration = Duration::from_secs(60);
/// Floor of the background task's sleep, so a refresh that another caller is running (and
/// so stays due) cannot make it spin.
const BACKGROUND_MIN_SLEEP: Duration = Duration::from_millis(100);

#[derive(Clone, Debug)]
struct Settings {
    margin: Duration,
    refresh_ahead: Duration,
    refresh_fraction: f64,
    capacity: usize,
    backoff_initial: Duration,
    backoff_max: Duration,
    jitter: bool,
}

impl Settings {
    /// Delay before the next attempt after `failures` consecutive failures: doubling from
    /// the initial delay, capped, and with "equal jitter" (a random point in the upper half)
    /// so that many processes started together do not retry in lockstep.
    fn backoff(&self, failures: u32) -> Duration {
        let exp = failures.saturating_sub(1).min(30);
        let base = self
            .backoff_initial
            .saturating_mul(1u32 << exp)
            .min(self.backoff_max);
        if self.jitter {
            base / 2 + base.mul_f64(fastrand::f64() / 2.0)
        } else {
            base
        }
    }
}

/// A builder for [`TokenCache`]. Start from [`TokenCache::builder`].
pub struct TokenCacheBuilder {
    client: Client,
    settings: Settings,
    time: Option<SharedTimeSource>,
    sleep: Option<SharedAsyncSleep>,
    background: bool,
}

impl fmt::Debug for TokenCacheBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenCacheBuilder")
            .field("settings", &self.settings)
            .field("background", &self.background)
            .finish_non_exhaustive()
    }
}

impl TokenCacheBuilder {
    /// Every token handed out stays valid for at least this long after the call returns
    /// (by the cache's clock). Default: 60 s.
    pub fn margin(mut self, margin: Duration) -> Self {
        self.settings.margin = margin;
        self
    }

    /// Refresh once less than this much of a token's life remains, or less than
    /// [`refresh_ahead_fraction`](Self::refresh_ahead_fraction) of its lifetime, whichever
    /// is larger. Default: 5 minutes.
    pub fn refresh_ahead(mut self, ahead: Duration) -> Self {
        self.settings.refresh_ahead = ahead;
        self
    }

    /// See [`refresh_ahead`](Self::refresh_ahead). Clamped to `0.0..=1.0`. Default: 0.1.
    pub fn refresh_ahead_fraction(mut self, fraction: f64) -> Self {
        self.settings.refresh_fraction = if fraction.is_nan() {
            0.0
        } else {
            fraction.clamp(0.0, 1.0)
        };
        self
    }

    /// Most workgroup sets kept at once; adding one more evicts the least recently used.
    /// At least 1. Default: 256.
    pub fn capacity(mut self, capacity: usize) -> Self {
        self.settings.capacity = capacity.max(1);
        self
    }

    /// Backoff between refresh attempts while a still-valid token is being served after a
    /// failure: `initial`, doubling, at most `max`. Default: 1 s to 30 s.
    pub fn retry_backoff(mut self, initial: Duration, max: Duration) -> Self {
        self.settings.backoff_initial = initial;
        self.settings.backoff_max = max.max(initial);
        self
    }

    /// Whether backoff delays are randomised (default `true`). Turn off only to make tests
    /// deterministic.
    pub fn jitter(mut self, jitter: bool) -> Self {
        self.settings.jitter = jitter;
        self
    }

    /// The clock for expiry decisions. Default: the system clock. Use the same source as the
    /// client's configuration so that both agree on "now".
    pub fn time_source(mut self, time: impl TimeSource + 'static) -> Self {
        self.time = Some(SharedTimeSource::new(time));
        self
    }

    /// The sleep used by the background task. Default: tokio's.
    pub fn sleep_impl(mut self, sleep: impl AsyncSleep + 'static) -> Self {
        self.sleep = Some(SharedAsyncSleep::new(sleep));
        self
    }

    /// Whether to refresh tokens from a background task before callers see them go stale
    /// (default `false`). Only tokens used during their current life are refreshed, so
    /// a workgroup set nobody asks for any more stops costing requests. The task holds
    /// only a weak reference and ends when the last clone of the cache is dropped. It is
    /// spawned on the current tokio runtime; outside one, `build` logs a warning and the
    /// cache works without it.
    pub fn background_refresh(mut self, enabled: bool) -> Self {
        self.background = enabled;
        self
    }

    /// Builds the cache (and spawns the background task, if asked for).
    pub fn build(self) -> TokenCache {
        let wake = Arc::new(Notify::new());
        let sleep = self.sleep.or_else(default_async_sleep);
        let (shutdown_tx, shutdown_rx) = oneshot::channel();
        let inner = Arc::new(Inner {
            client: self.client,
            settings: self.settings,
            time: self.time.unwrap_or_default(),
            slots: RwLock::new(Slots::default()),
            wake: wake.clone(),
            _shutdown: shutdown_tx,
        });
        if self.background {
            spawn_background(&inner, sleep, wake, shutdown_rx);
        }
        TokenCache { inner }
    }
}

fn spawn_background(
    inner: &Arc<Inner>,
    sleep: Option<SharedAsyncSleep>,
    wake: Arc<Notify>,
    shutdown: oneshot::Receiver<()>,
) {
    let Some(sleep) = sleep else {
        tracing::warn!("no async sleep implementation: background token refresh is off");
        return;
    };
    match tokio::runtime::Handle::try_current() {
        Ok(handle) => {
            handle.spawn(background(Arc::downgrade(inner), sleep, wake, shutdown));
        }
        Err(_) => {
            tracing::warn!("not inside a tokio runtime: background token refresh is off");
        }
    }
}

/// The background loop. It upgrades its weak reference only for the duration of one round,
/// so it never keeps the cache alive; dropping the cache drops the shutdown sender, which
/// ends the loop even in the middle of a long sleep.
async fn background(
    cache: Weak<Inner>,
    sleep: SharedAsyncSleep,
    wake: Arc<Notify>,
    mut shutdown: oneshot::Receiver<()>,
) {
    loop {
        let delay = match cache.upgrade() {
            None => return,
            Some(inner) => {
                inner.refresh_due().await;
                inner.next_background_wake()
            }
        };
        tokio::select! {
            _ = &mut shutdown => return,
            _ = sleep.sleep(delay) => {}
            _ = wake.notified() => {}
        }
    }
}

/// A cache of Identity Center tokens, one per workgroup set. Cheap to clone; clones share
/// the cache. See the [crate documentation](crate) for the policy.
#[derive(Clone)]
pub struct TokenCache {
    inner: Arc<Inner>,
}

impl fmt::Debug for TokenCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenCache")
            .field("settings", &self.inner.settings)
            .field("len", &self.len())
            .finish_non_exhaustive()
    }
}

impl TokenCache {
    /// A cache with the default settings and no background task.
    pub fn new(client: Client) -> Self {
        Self::builder(client).build()
    }

    /// A builder, to change the defaults.
    pub fn builder(client: Client) -> TokenCacheBuilder {
        TokenCacheBuilder {
            client,
            settings: Settings {
                margin: DEFAULT_MARGIN,
                refresh_ahead: DEFAULT_REFRESH_AHEAD,
                refresh_fraction: DEFAULT_REFRESH_AHEAD_FRACTION,
                capacity: DEFAULT_CAPACITY,
                backoff_initial: DEFAULT_BACKOFF_INITIAL,
                backoff_max: DEFAULT_BACKOFF_MAX,
                jitter: true,
            },
            time: None,
            sleep: None,
            background: false,
        }
    }

    /// A token for the set of `workgroups` (order and duplicates do not matter) that stays
    /// valid for at least the margin.
    ///
    /// A cache hit takes two uncontended read locks, a clock read and an `Arc` clone, and
    /// allocates nothing. Otherwise the call may wait for the one request in flight for
    /// this set, or make it.
    pub async fn token<S: AsRef<str>>(
        &self,
        workgroups: &[S],
    ) -> Result<Arc<IdentityCenterToken>, TokenError> {
        let now = self.inner.time.now();
        let slot = match self.inner.lookup(workgroups, now) {
            Lookup::Fresh(token) => return Ok(token),
            Lookup::Found(slot) => slot,
            Lookup::Missing => self.inner.insert(workgroups, now)?,
        };
        self.inner.obtain(&slot).await
    }

    /// Forgets the token for `workgroups`, for example after a workgroup rejected it. The
    /// next call fetches a new one. Returns whether anything was cached.
    pub fn invalidate<S: AsRef<str>>(&self, workgroups: &[S]) -> bool {
        with_normalized(workgroups, |names| {
            let hash = hash_names(names);
            let mut slots = self.inner.write_slots();
            let Some(bucket) = slots.map.get_mut(&hash) else {
                return false;
            };
            let before = bucket.len();
            bucket.retain(|s| !s.is(names));
            let removed = before - bucket.len();
            if bucket.is_empty() {
                slots.map.remove(&hash);
            }
            slots.len -= removed;
            removed > 0
        })
    }

    /// How many workgroup sets are cached.
    pub fn len(&self) -> usize {
        self.inner.read_slots().len
    }

    /// Whether no workgroup set is cached.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

enum Lookup {
    Fresh(Arc<IdentityCenterToken>),
    Found(Arc<Slot>),
    Missing,
}

#[derive(Default)]
struct Slots {
    /// Keyed by the hash of the normalised set; buckets almost always hold one slot.
    map: HashMap<u64, Vec<Arc<Slot>>, BuildIdentity>,
    len: usize,
}

struct Inner {
    client: Client,
    settings: Settings,
    time: SharedTimeSource,
    slots: RwLock<Slots>,
    wake: Arc<Notify>,
    /// Never sent on: dropping it (with the cache) is the background task's stop signal.
    _shutdown: oneshot::Sender<()>,
}

/// One workgroup set.
struct Slot {
    names: Box<[String]>,
    /// Milliseconds since the epoch of the last lookup, for LRU eviction and for deciding
    /// whether the background task should keep this token fresh.
    last_used_ms: AtomicU64,
    state: RwLock<SlotState>,
    /// Held by the one caller (or the background task) that is fetching; the others wait on
    /// it (no usable token) or walk past it (a usable token exists).
    refresh: tokio::sync::Mutex<()>,
}

struct SlotState {
    token: Option<Arc<IdentityCenterToken>>,
    /// Before this instant the token is handed out without a second thought.
    refresh_at: SystemTime,
    /// From this instant the token is within the margin and never handed out.
    usable_until: SystemTime,
    /// While serving a still-usable token after a failed refresh: no new attempt before this.
    next_attempt: SystemTime,
    failures: u32,
    /// Counts finished fetches, so that a waiter can tell a fetch completed while it waited.
    fetches: u64,
    /// The outcome of the last fetch, if it failed.
    last_error: Option<TokenError>,
}

impl SlotState {
    fn fresh(&self, now: SystemTime) -> Option<&Arc<IdentityCenterToken>> {
        self.token.as_ref().filter(|_| now < self.refresh_at)
    }

    fn usable(&self, now: SystemTime) -> Option<&Arc<IdentityCenterToken>> {
        self.token.as_ref().filter(|_| now < self.usable_until)
    }

    /// When the background task should next look at this slot, if the token is usable.
    fn due_at(&self, now: SystemTime) -> Option<SystemTime> {
        self.usable(now)?;
        Some(self.refresh_at.max(self.next_attempt))
    }
}

fn millis(t: SystemTime) -> u64 {
    t.duration_since(UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}

impl Slot {
    fn is(&self, names: &[&str]) -> bool {
        self.names.len() == names.len() && self.names.iter().zip(names).all(|(a, b)| a == b)
    }

    fn touch(&self, now: SystemTime) {
        let ms = millis(now);
        // Load first: a store on every hit would bounce the cache line between cores.
        if self.last_used_ms.load(Ordering::Relaxed) < ms {
            self.last_used_ms.store(ms, Ordering::Relaxed);
        }
    }

    fn read(&self) -> RwLockReadGuard<'_, SlotState> {
        self.state.read().unwrap_or_else(PoisonError::into_inner)
    }

    fn write(&self) -> RwLockWriteGuard<'_, SlotState> {
        self.state.write().unwrap_or_else(PoisonError::into_inner)
    }

    /// Whether the background task should refresh now: usable, due, and used during the
    /// current token's life.
    fn background_due(&self, now: SystemTime) -> bool {
        let st = self.read();
        let Some(token) = st.usable(now) else {
            return false;
        };
        now >= st.refresh_at
            && now >= st.next_attempt
            && self.last_used_ms.load(Ordering::Relaxed) > millis(token.received_at())
    }
}

impl Inner {
    fn read_slots(&self) -> RwLockReadGuard<'_, Slots> {
        self.slots.read().unwrap_or_else(PoisonError::into_inner)
    }

    fn write_slots(&self) -> RwLockWriteGuard<'_, Slots> {
        self.slots.write().unwrap_or_else(PoisonError::into_inner)
    }

    /// The hot path: no allocation, no await.
    fn lookup<S: AsRef<str>>(&self, workgroups: &[S], now: SystemTime) -> Lookup {
        with_normalized(workgroups, |names| {
            let hash = hash_names(names);
            let slots = self.read_slots();
            let Some(slot) = slots
                .map
                .get(&hash)
                .and_then(|bucket| bucket.iter().find(|s| s.is(names)))
            else {
                return Lookup::Missing;
            };
            slot.touch(now);
            let fresh = slot.read().fresh(now).cloned();
            match fresh {
                Some(token) => Lookup::Fresh(token),
                None => Lookup::Found(slot.clone()),
            }
        })
    }

    /// Validates a new set and adds an empty slot for it, evicting the least recently used
    /// set if the cache is full.
    fn insert<S: AsRef<str>>(
        &self,
        workgroups: &[S],
        now: SystemTime,
    ) -> Result<Arc<Slot>, TokenError> {
        let names: Vec<String> =
            with_normalized(workgroups, |n| n.iter().map(|s| (*s).to_owned()).collect());
        // Validate the set exactly as it will be sent, before it can reach the network.
        let input = GetIdentityCenterAuthTokenInput::builder()
            .set_workgroup_names(Some(names.clone()))
            .build()
            .map_err(|e| TokenError::from_sdk(SdkError::construction_failure(e)))?;
        input
            .validate()
            .map_err(|v| TokenError::Validation(Arc::new(v)))?;

        let borrowed: Vec<&str> = names.iter().map(String::as_str).collect();
        let hash = hash_names(&borrowed);
        let mut slots = self.write_slots();
        if let Some(existing) = slots
            .map
            .get(&hash)
            .and_then(|bucket| bucket.iter().find(|s| s.is(&borrowed)))
        {
            // Another caller inserted it between our lookup and this lock.
            return Ok(existing.clone());
        }
        if slots.len >= self.settings.capacity {
            evict_lru(&mut slots);
        }
        let slot = Arc::new(Slot {
            names: names.into_boxed_slice(),
            last_used_ms: AtomicU64::new(millis(now)),
            state: RwLock::new(SlotState {
                token: None,
                refresh_at: UNIX_EPOCH,
                usable_until: UNIX_EPOCH,
                next_attempt: UNIX_EPOCH,
                failures: 0,
                fetches: 0,
                last_error: None,
            }),
            refresh: tokio::sync::Mutex::new(()),
        });
        slots.map.entry(hash).or_default().push(slot.clone());
        slots.len += 1;
        Ok(slot)
    }

    /// The slow path, for a slot whose token is missing, due for refresh, or expired.
    async fn obtain(&self, slot: &Slot) -> Result<Arc<IdentityCenterToken>, TokenError> {
        let now = self.time.now();
        let (seen_fetches, cached) = {
            let st = slot.read();
            if let Some(token) = st.fresh(now) {
                return Ok(token.clone());
            }
            match st.usable(now) {
                // Backing off after a failed refresh: keep serving what we have.
                Some(token) if now < st.next_attempt => return Ok(token.clone()),
                usable => (st.fetches, usable.cloned()),
            }
        };

        if let Some(cached) = cached {
            // Refresh ahead: one caller fetches, the rest keep using the valid token.
            let Ok(_guard) = slot.refresh.try_lock() else {
                return Ok(cached);
            };
            if slot.read().fetches != seen_fetches {
                // Someone finished a fetch between our read and the lock.
                return Ok(slot
                    .read()
                    .usable(self.time.now())
                    .cloned()
                    .unwrap_or(cached));
            }
            return match self.fetch_and_store(slot).await {
                Ok(token) => Ok(token),
                Err(error) => {
                    tracing::warn!(
                        error = %error,
                        "token refresh failed; serving the cached token, which is still valid"
                    );
                    Ok(cached)
                }
            };
        }

        // No usable token: wait for the fetch in flight, or make one.
        let _guard = slot.refresh.lock().await;
        {
            let st = slot.read();
            if let Some(token) = st.usable(self.time.now()) {
                return Ok(token.clone());
            }
            if st.fetches != seen_fetches {
                if let Some(error) = &st.last_error {
                    // The fetch we waited for failed: every waiter gets its error.
                    return Err(error.clone());
                }
            }
        }
        self.fetch_and_store(slot).await
    }

    /// One request, then the result recorded in the slot. Call with `slot.refresh` held.
    async fn fetch_and_store(&self, slot: &Slot) -> Result<Arc<IdentityCenterToken>, TokenError> {
        let result = self.fetch(slot).await;
        let now = self.time.now();
        let mut st = slot.write();
        st.fetches += 1;
        let outcome = match result {
            Ok((token, refresh_at, usable_until)) => {
                st.token = Some(token.clone());
                st.refresh_at = refresh_at;
                st.usable_until = usable_until;
                st.failures = 0;
                st.next_attempt = UNIX_EPOCH;
                st.last_error = None;
                Ok(token)
            }
            Err(error) => {
                st.failures = st.failures.saturating_add(1);
                st.next_attempt = now + self.settings.backoff(st.failures);
                st.last_error = Some(error.clone());
                Err(error)
            }
        };
        drop(st);
        // The background task may need to move its next wake-up.
        self.wake.notify_one();
        outcome
    }

    /// Sends the request and checks the answer. Returns the token with its refresh and
    /// last-usable instants.
    async fn fetch(
        &self,
        slot: &Slot,
    ) -> Result<(Arc<IdentityCenterToken>, SystemTime, SystemTime), TokenError> {
        let mut output = self
            .client
            .get_identity_center_auth_token()
            .set_workgroup_names(Some(slot.names.to_vec()))
            .send()
            .await
            .map_err(TokenError::from_sdk)?;
        let received_at = self.time.now();
        // Into the zeroising wrapper at once, so a response rejected below is wiped too.
        let secret = Zeroizing::new(
            output
                .token
                .take()
                .filter(|t| !t.is_empty())
                .ok_or(TokenError::MalformedResponse { missing: "token" })?,
        );
        let expires_at = output
            .expiration_time
            .and_then(|t| SystemTime::try_from(t).ok())
            .ok_or(TokenError::MalformedResponse {
                missing: "expirationTime",
            })?;
        let (refresh_at, usable_until) = schedule(&self.settings, received_at, expires_at).ok_or(
            TokenError::ExpiresTooSoon {
                expires_at,
                margin: self.settings.margin,
            },
        )?;
        let token = Arc::new(IdentityCenterToken::from_zeroizing(
            secret,
            expires_at,
            received_at,
        ));
        Ok((token, refresh_at, usable_until))
    }

    /// Background round: refresh every slot that is due and still in use.
    async fn refresh_due(&self) {
        let now = self.time.now();
        let due: Vec<Arc<Slot>> = self
            .read_slots()
            .map
            .values()
            .flatten()
            .filter(|s| s.background_due(now))
            .cloned()
            .collect();
        for slot in due {
            // A caller may be fetching already; then there is nothing to do.
            let Ok(_guard) = slot.refresh.try_lock() else {
                continue;
            };
            if !slot.background_due(self.time.now()) {
                continue;
            }
            if let Err(error) = self.fetch_and_store(&slot).await {
                tracing::warn!(error = %error, "background token refresh failed");
            }
        }
    }

    /// How long the background task may sleep before something becomes due.
    fn next_background_wake(&self) -> Duration {
        let now = self.time.now();
        let slots = self.read_slots();
        let next = slots
            .map
            .values()
            .flatten()
            .filter_map(|s| s.read().due_at(now))
            // Slots already due but unused wait for a caller; they must not make us spin.
            .filter(|&at| at > now)
            .min();
        next.and_then(|at| at.duration_since(now).ok())
            .unwrap_or(BACKGROUND_IDLE)
            .clamp(BACKGROUND_MIN_SLEEP, BACKGROUND_IDLE)
    }
}

/// Drops the least recently used slot. Linear, but it only runs when a new set is added to
/// a full cache, which is the slow path anyway.
fn evict_lru(slots: &mut Slots) {
    let victim = slots
        .map
        .iter()
        .flat_map(|(hash, bucket)| bucket.iter().map(move |s| (*hash, s)))
        .min_by_key(|(_, s)| s.last_used_ms.load(Ordering::Relaxed))
        .map(|(hash, s)| (hash, s.clone()));
    let Some((hash, victim)) = victim else {
        return;
    };
    if let Some(bucket) = slots.map.get_mut(&hash) {
        bucket.retain(|s| !Arc::ptr_eq(s, &victim));
        if bucket.is_empty() {
            slots.map.remove(&hash);
        }
    }
    slots.len = slots.len.saturating_sub(1);
    tracing::debug!(workgroups = ?victim.names, "evicted least recently used token");
}

/// When to refresh a token received at `received` that expires at `expires`, and the last
/// instant it may be handed out. `None` when it is not usable at all.
fn schedule(
    settings: &Settings,
    received: SystemTime,
    expires: SystemTime,
) -> Option<(SystemTime, SystemTime)> {
    let usable_until = expires.checked_sub(settings.margin)?;
    let usable_for = usable_until.duration_since(received).ok()?;
    if usable_for.is_zero() {
        return None;
    }
    let lifetime = expires.duration_since(received).unwrap_or_default();
    let ahead = settings
        .refresh_ahead
        .max(lifetime.mul_f64(settings.refresh_fraction));
    // Never refresh in the first half of the usable life: with a short-lived token the
    // "ahead" window could otherwise cover all of it and every call would be a request.
    let halfway = received + usable_for / 2;
    let refresh_at = expires
        .checked_sub(ahead)
        .map_or(halfway, |t| t.max(halfway))
        .min(usable_until);
    Some((refresh_at, usable_until))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings() -> Settings {
        Settings {
            margin: DEFAULT_MARGIN,
            refresh_ahead: DEFAULT_REFRESH_AHEAD,
            refresh_fraction: DEFAULT_REFRESH_AHEAD_FRACTION,
            capacity: 1,
            backoff_initial: Duration::from_secs(1),
            backoff_max: Duration::from_secs(30),
            jitter: false,
        }
    }

    #[test]
    fn schedule_uses_the_larger_window() {
        let s = settings();
        let t0 = UNIX_EPOCH + Duration::from_secs(1_000_000);
        // One hour: 10% is 6 min > 5 min.
        let (refresh, usable) = schedule(&s, t0, t0 + Duration::from_secs(3600)).unwrap();
        assert_eq!(refresh, t0 + Duration::from_secs(3600 - 360));
        assert_eq!(usable, t0 + Duration::from_secs(3600 - 60));
        // Fifteen minutes: 5 min wins.
        let (refresh, _) = schedule(&s, t0, t0 + Duration::from_secs(900)).unwrap();
        assert_eq!(refresh, t0 + Duration::from_secs(600));
        // Four minutes: the window would cover everything; refresh at half the usable life.
        let (refresh, usable) = schedule(&s, t0, t0 + Duration::from_secs(240)).unwrap();
        assert_eq!(usable, t0 + Duration::from_secs(180));
        assert_eq!(refresh, t0 + Duration::from_secs(90));
        // Within the margin: unusable.
        assert!(schedule(&s, t0, t0 + Duration::from_secs(60)).is_none());
        assert!(schedule(&s, t0, t0).is_none());
    }

    #[test]
    fn backoff_doubles_up_to_the_cap() {
        let s = settings();
        let got: Vec<u64> = (1..=7).map(|f| s.backoff(f).as_secs()).collect();
        assert_eq!(got, [1, 2, 4, 8, 16, 30, 30]);
        let jittered = Settings { jitter: true, ..s };
        for f in 1..10 {
            let base = settings().backoff(f);
            let d = jittered.backoff(f);
            assert!(d >= base / 2 && d <= base, "{d:?} vs {base:?}");
        }
        assert_eq!(settings().backoff(u32::MAX), Duration::from_secs(30));
    }
}
