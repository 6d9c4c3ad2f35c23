//! The run's messages on stderr, in French, and its progress bar: a leaf
//! that any stage may use.

use std::sync::Mutex;
use std::time::Instant;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::erreur::Probleme;

/// How much the run says on stderr.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Verbosite {
    Silencieux,
    Normal,
    Detaille,
}

/// The run's messages on stderr, in French, and a progress bar over its
/// steps when stderr is a terminal (none under cron or in a pipe).
pub struct Journal {
    pub verbosite: Verbosite,
    barre: ProgressBar,
    /// The step under way and when it began (its duration is said at `-v`).
    en_cours: Mutex<Option<(&'static str, Instant)>>,
}

impl Journal {
    pub fn new(verbosite: Verbosite, etapes: u64) -> Journal {
        let barre = if verbosite == Verbosite::Silencieux {
            ProgressBar::hidden()
        } else {
            // indicatif draws nothing when stderr is not a terminal.
            ProgressBar::with_draw_target(Some(etapes), ProgressDrawTarget::stderr())
        };
        if let Ok(style) = ProgressStyle::with_template("{bar:30} {pos}/{len} {msg}") {
            barre.set_style(style);
        }
        Journal {
            verbosite,
            barre,
            en_cours: Mutex::new(None),
        }
    }

    /// Messages only: for commands whose steps are not worth a bar.
    pub fn sans_barre(verbosite: Verbosite) -> Journal {
        Journal {
            verbosite,
            barre: ProgressBar::hidden(),
            en_cours: Mutex::new(None),
        }
    }

    fn ecrire(&self, ligne: String) {
        if self.barre.is_hidden() {
            eprintln!("{ligne}");
        } else {
            self.barre.println(ligne);
        }
    }

    pub fn info(&self, message: impl AsRef<str>) {
        if self.verbosite >= Verbosite::Normal {
            self.ecrire(message.as_ref().to_string());
        }
    }

    pub fn detail(&self, message: impl AsRef<str>) {
        if self.verbosite >= Verbosite::Detaille {
            self.ecrire(format!("  {}", message.as_ref()));
        }
    }

    pub fn avertissement(&self, p: &Probleme) {
        if self.verbosite >= Verbosite::Normal {
            self.ecrire(format!("avertissement : {p}"));
        }
    }

    /// A step of the run begins.
    pub fn etape(&self, libelle: &'static str) {
        self.fin_d_etape(Some(libelle));
        self.barre.set_message(libelle);
        self.barre.inc(1);
    }

    /// Says how long the step under way took; `suivante` begins.
    fn fin_d_etape(&self, suivante: Option<&'static str>) {
        let Ok(mut en_cours) = self.en_cours.lock() else {
            return;
        };
        if let Some((libelle, debut)) = en_cours.take() {
            self.detail(format!(
                "{libelle} : {}",
                crate::format::duree(debut.elapsed())
            ));
        }
        *en_cours = suivante.map(|l| (l, Instant::now()));
    }

    /// The bar also counts the `n` documents a run writes.
    pub fn allonger(&self, n: u64) {
        self.barre.inc_length(n);
    }

    /// A département's annex and communes' documents, `documents` files,
    /// are written (from any thread).
    pub fn avancer(&self, departement: &str, documents: usize) {
        self.barre
            .set_message(format!("annexe {departement} écrite"));
        self.barre.inc(documents as u64);
    }

    pub fn terminer(&self) {
        self.fin_d_etape(None);
        self.barre.finish_and_clear();
    }
}
