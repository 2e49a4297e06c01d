//! Mapping a slice on every core, results in input order. Threads take the
//! next item as they free up, so one large item does not hold up the rest.

use std::sync::atomic::{AtomicUsize, Ordering};

/// `items.iter().map(f).collect()`, on several threads when `parallel` says
/// so and the machine has more than one core.
pub fn map<T: Sync, R: Send>(items: &[T], parallel: bool, f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    if !parallel || items.len() < 2 || cores() < 2 {
        return items.iter().map(f).collect();
    }
    let threads = cores();
    let next = AtomicUsize::new(0);
    let worker = || {
        let mut done = Vec::new();
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some(item) = items.get(i) else { break done };
            done.push((i, f(item)));
        }
    };
    let mut done: Vec<(usize, R)> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads.min(items.len())).map(|_| scope.spawn(worker)).collect();
        workers
            .into_iter()
            // A worker's panic is the caller's: dropping its results would
            // silently lose files.
            .flat_map(|w| w.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)))
            .collect()
    });
    done.sort_unstable_by_key(|(i, _)| *i);
    done.into_iter().map(|(_, r)| r).collect()
}

/// The cores this process may use, asked once (the answer takes a dozen
/// reads of cgroup files).
fn cores() -> usize {
    static CORES: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
    *CORES.get_or_init(|| std::thread::available_parallelism().map_or(1, std::num::NonZero::get))
}

/// `map` over owned items, each handed to `f` by value.
pub fn map_owned<T: Send, R: Send>(
    items: Vec<T>,
    parallel: bool,
    f: impl Fn(T) -> R + Sync,
) -> Vec<R> {
    if !parallel {
        return items.into_iter().map(f).collect();
    }
    // Each item is taken out of its slot by the one thread that draws it.
    let slots: Vec<std::sync::Mutex<Option<T>>> =
        items.into_iter().map(|item| std::sync::Mutex::new(Some(item))).collect();
    map(&slots, true, |slot| {
        let item = slot.lock().unwrap_or_else(std::sync::PoisonError::into_inner).take();
        item.map(&f)
    })
    .into_iter()
    .flatten()
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_input_order_both_ways() {
        let items: Vec<u64> = (0..1000).collect();
        let square = |x: &u64| x * x;
        let expected: Vec<u64> = items.iter().map(square).collect();
        assert_eq!(map(&items, true, square), expected);
        assert_eq!(map(&items, false, square), expected);
        assert!(map(&Vec::<u64>::new(), true, square).is_empty());
        let owned: Vec<String> = (0..100).map(|i| i.to_string()).collect();
        let lengths: Vec<usize> = owned.iter().map(String::len).collect();
        assert_eq!(map_owned(owned.clone(), true, |s| s.len()), lengths);
        assert_eq!(map_owned(owned, false, |s| s.len()), lengths);
    }
}
