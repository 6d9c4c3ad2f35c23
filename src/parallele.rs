//! Plain worker threads for the work a run does once per département or
//! per file: as many as the cores (or `QPV_ANNEXE_FILS`), results in the
//! items' order whatever the thread count.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use crate::erreur::{Erreur, Resultat};

/// Stack of each worker (a département's documents, its secrecy pass).
const PILE_PAR_FIL: usize = 64 << 20;

/// Number of worker threads: `QPV_ANNEXE_FILS`, else two per core. A
/// worker now and then waits with its core idle (a polars operation handed
/// to polars' pool, the threads rust_xlsxwriter starts for each save, file
/// writes): with two per core another one takes the core meanwhile (a
/// national run on 2 cores: 1,9 → 1,65 s; docs/performance.md).
fn nombre_de_fils() -> usize {
    std::env::var("QPV_ANNEXE_FILS")
        .ok()
        .and_then(|n| n.parse::<usize>().ok())
        .filter(|n| *n > 0)
        .or_else(|| {
            std::thread::available_parallelism()
                .ok()
                .map(|n| 2 * n.get())
        })
        .unwrap_or(1)
}

/// `travail` on every item, on `nombre_de_fils()` threads, results in the
/// items' order. Plain threads pulling the next item, not a work-stealing
/// pool: a worker waiting on polars' own pool must not start another
/// département meanwhile (nested work piles up on its stack and blurs the
/// timings).
pub fn en_parallele<T: Sync, R: Send>(
    elements: &[T],
    travail: impl Fn(&T) -> R + Sync,
) -> Resultat<Vec<R>> {
    let suivant = AtomicUsize::new(0);
    let resultats: Vec<Mutex<Option<R>>> = elements.iter().map(|_| Mutex::new(None)).collect();
    let fils = nombre_de_fils().min(elements.len()).max(1);
    let termines = std::thread::scope(|portee| {
        let poignees: Vec<_> = (0..fils)
            .map(|i| {
                std::thread::Builder::new()
                    .name(format!("annexe-{i}"))
                    // polars' optimiser recurses over the query plans: the
                    // workers get a main thread's stack and more.
                    .stack_size(PILE_PAR_FIL)
                    .spawn_scoped(portee, || loop {
                        // A document's queries are small: run them on this
                        // thread rather than hand each to polars' pool and
                        // wait (the hand-overs and the pool's idle spinning
                        // cost more than they save; the parallelism is
                        // across départements).
                        polars_async::executor::ALLOW_RAYON_THREADS.set(false);
                        let k = suivant.fetch_add(1, Ordering::Relaxed);
                        let Some(element) = elements.get(k) else {
                            break;
                        };
                        let r = travail(element);
                        if let Ok(mut case) = resultats[k].lock() {
                            *case = Some(r);
                        }
                    })
            })
            .collect();
        poignees
            .into_iter()
            .all(|p| p.map(|p| p.join().is_ok()).unwrap_or(false))
    });
    let resultats: Option<Vec<R>> = resultats
        .into_iter()
        .map(|m| m.into_inner().ok().flatten())
        .collect();
    match resultats {
        Some(r) if termines => Ok(r),
        _ => Err(Erreur::Interne {
            contexte: "travail en parallèle (annexes, secret statistique, empreintes du manifeste)",
            message: "un fil de calcul s'est arrêté sans résultat".into(),
        }),
    }
}
