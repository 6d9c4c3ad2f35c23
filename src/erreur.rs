//! Typed errors of the library and the exit codes they map to.
//!
//! Every message a user reads is in French. A data problem names the file,
//! the line and the column, what was expected and what was found; all the
//! problems of a run are gathered before the run stops, so that one pass is
//! enough to fix an export.

use std::fmt;
use std::path::{Path, PathBuf};

/// Exit codes, documented in `docs/operations.md`.
pub mod code_sortie {
    /// The run succeeded.
    pub const SUCCES: u8 = 0;
    /// An input file holds invalid data (the report was not written).
    pub const DONNEES_INVALIDES: u8 = 1;
    /// Bad command line or invalid `conseil.toml`.
    pub const USAGE: u8 = 2;
    /// A file or folder could not be read or written.
    pub const ENTREES_SORTIES: u8 = 3;
    /// An internal error of the program (please report it).
    pub const INTERNE: u8 = 4;
    /// `send`: some messages could not be delivered (they will be retried).
    pub const ENVOI_INCOMPLET: u8 = 5;
    /// `run`, `send`: another run holds the reports folder (wait for it
    /// with `--attendre`).
    pub const OCCUPE: u8 = 7;
    /// `run`: the inputs of a published quarter changed its documents;
    /// nothing written (`--force` publishes a rectified version).
    pub const RAPPORT_MODIFIE: u8 = 6;
}

/// One located problem in an input: an error or a warning.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Probleme {
    pub fichier: PathBuf,
    /// 1-based line in the file (the header is line 1).
    pub ligne: Option<usize>,
    /// 1-based column (field number).
    pub colonne: Option<usize>,
    pub message: String,
    pub attendu: Option<String>,
    pub trouve: Option<String>,
}

impl Probleme {
    pub fn new(fichier: &Path, message: impl Into<String>) -> Self {
        Probleme {
            fichier: fichier.to_path_buf(),
            ligne: None,
            colonne: None,
            message: message.into(),
            attendu: None,
            trouve: None,
        }
    }

    pub fn ligne(mut self, ligne: usize) -> Self {
        self.ligne = Some(ligne);
        self
    }

    pub fn colonne(mut self, colonne: usize) -> Self {
        self.colonne = Some(colonne);
        self
    }

    pub fn attendu(mut self, attendu: impl Into<String>) -> Self {
        self.attendu = Some(attendu.into());
        self
    }

    pub fn trouve(mut self, trouve: impl Into<String>) -> Self {
        self.trouve = Some(trouve.into());
        self
    }
}

impl fmt::Display for Probleme {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match crate::feuilles::separer(&self.fichier) {
            // A workbook's cell: `registre.xlsx, feuille « Dossiers »,
            // cellule F12 : …`, as a spreadsheet's user finds it.
            Some((classeur, feuille)) => {
                write!(f, "{}", classeur.display())?;
                if let Some(feuille) = feuille {
                    write!(f, ", feuille « {feuille} »")?;
                }
                match (self.ligne, self.colonne) {
                    (Some(l), Some(c)) => {
                        write!(f, ", cellule {}{l}", crate::feuilles::lettres_de_colonne(c))?
                    }
                    (Some(l), None) => write!(f, ", ligne {l}")?,
                    _ => {}
                }
                write!(f, " ")?;
            }
            None => {
                write!(f, "{}", self.fichier.display())?;
                if let Some(l) = self.ligne {
                    write!(f, ":{l}")?;
                    if let Some(c) = self.colonne {
                        write!(f, ":{c}")?;
                    }
                }
            }
        }
        write!(f, ": {}", self.message)?;
        match (&self.attendu, &self.trouve) {
            (Some(a), Some(t)) => write!(f, " (attendu {a}, trouvé « {t} »)"),
            (Some(a), None) => write!(f, " (attendu {a})"),
            (None, Some(t)) => write!(f, " (trouvé « {t} »)"),
            (None, None) => Ok(()),
        }
    }
}

/// At most this many problems are printed for one file: past that, the
/// export is most likely of the wrong kind altogether.
pub const PROBLEMES_MAX_PAR_FICHIER: usize = 20;

/// Every error of the library, with its cause; the exit code of each kind
/// is [`Erreur::code_sortie`].
#[derive(Debug, thiserror::Error)]
pub enum Erreur {
    /// Invalid data in the inputs: every problem found, located.
    #[error("{}", liste_problemes(.0))]
    Donnees(Vec<Probleme>),

    /// An export that polars could not read (malformed CSV, bytes that are
    /// not text): the input's fault, not the program's.
    #[error("{fichier}: export illisible : {source}")]
    Illisible {
        fichier: PathBuf,
        #[source]
        source: polars::error::PolarsError,
    },

    /// Invalid settings file (`conseil.toml`).
    #[error("{0}")]
    Configuration(Box<Probleme>),

    /// Invalid use of the command line.
    #[error("{0}")]
    Usage(String),

    /// Another run holds the reports folder (`rapport::verrou`).
    #[error("{dossier}: une autre exécution de qpv-annexe utilise ce dossier des rapports ({detenteur}) ; relancez-la quand elle aura fini, ou avec --attendre pour l'attendre")]
    Occupe { dossier: PathBuf, detenteur: String },

    /// A file or folder could not be read or written.
    #[error("{chemin}: {action} impossible : {source}")]
    EntreeSortie {
        chemin: PathBuf,
        action: &'static str,
        #[source]
        source: std::io::Error,
    },

    /// polars could not write a table of the report.
    #[error("{fichier}: écriture impossible : {source}")]
    Ecriture {
        fichier: PathBuf,
        #[source]
        source: polars::error::PolarsError,
    },

    /// A report gives masked counts away: each one. `publie`: the report
    /// audited was published (`audit`), else it is not (`run`).
    #[error("{}", secret_rompu(.divulgations, *.publie))]
    SecretRompu {
        divulgations: Vec<String>,
        publie: bool,
    },

    /// Some messages could not be delivered; recorded, retried next time.
    #[error("{0} message(s) non remis ; voir le journal reports/envois/<période>.json, ils seront renvoyés au prochain « qpv-annexe send --smtp »")]
    EnvoiIncomplet(usize),
    /// The report of a published quarter would change: nothing written.
    #[error("le rapport {rapport} est déjà publié et ces entrées le changeraient ({} fichier(s) différent(s)) :\n{}\nrien n'est écrit ; « qpv-annexe run --force » publie une version rectificative (l'actuelle est archivée)", fichiers, changements.join("\n"))]
    RapportModifie {
        rapport: String,
        fichiers: usize,
        changements: Vec<String>,
    },

    /// A computation on checked inputs failed: a bug, not the user's doing.
    #[error("erreur interne (calcul polars) : {0}")]
    Calcul(#[from] polars::error::PolarsError),

    /// rust_xlsxwriter refused a workbook.
    #[error("erreur interne (écriture du classeur) : {0}")]
    Classeur(#[from] rust_xlsxwriter::XlsxError),

    /// A JSON file of the program's own could not be written.
    #[error("erreur interne ({contexte}) : {source}")]
    Json {
        contexte: &'static str,
        #[source]
        source: serde_json::Error,
    },

    /// A message could not be built.
    #[error("erreur interne ({contexte}) : {source}")]
    Courriel {
        contexte: &'static str,
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },

    /// An unexpected state of the program: not the user's doing.
    #[error("erreur interne ({contexte}) : {message}")]
    Interne {
        contexte: &'static str,
        message: String,
    },
}

fn liste_problemes(problemes: &[Probleme]) -> String {
    let mut lignes: Vec<String> = Vec::new();
    let mut par_fichier: std::collections::BTreeMap<&Path, usize> = Default::default();
    for p in problemes {
        let n = par_fichier.entry(p.fichier.as_path()).or_default();
        *n += 1;
        if *n <= PROBLEMES_MAX_PAR_FICHIER {
            lignes.push(p.to_string());
        }
    }
    for (fichier, n) in par_fichier {
        if n > PROBLEMES_MAX_PAR_FICHIER {
            lignes.push(format!(
                "{}: … et {} autres problèmes dans ce fichier",
                fichier.display(),
                n - PROBLEMES_MAX_PAR_FICHIER
            ));
        }
    }
    lignes.join("\n")
}

/// The message of [`Erreur::SecretRompu`].
fn secret_rompu(divulgations: &[String], publie: bool) -> String {
    let fin = if publie {
        "se déduisent du rapport publié : le secret statistique n'est pas assuré"
    } else {
        "se déduiraient du rapport : le secret statistique n'est pas assuré, rien n'est publié"
    };
    format!(
        "{}\n{} chiffre(s) masqué(s) {fin}",
        divulgations.join("\n"),
        divulgations.len()
    )
}

impl Erreur {
    pub fn code_sortie(&self) -> u8 {
        match self {
            Erreur::Donnees(_) | Erreur::Illisible { .. } | Erreur::SecretRompu { .. } => {
                code_sortie::DONNEES_INVALIDES
            }
            Erreur::Configuration(_) | Erreur::Usage(_) => code_sortie::USAGE,
            Erreur::EntreeSortie { .. } | Erreur::Ecriture { .. } => code_sortie::ENTREES_SORTIES,
            Erreur::Calcul(_)
            | Erreur::Classeur(_)
            | Erreur::Json { .. }
            | Erreur::Courriel { .. }
            | Erreur::Interne { .. } => code_sortie::INTERNE,
            Erreur::EnvoiIncomplet(_) => code_sortie::ENVOI_INCOMPLET,
            Erreur::RapportModifie { .. } => code_sortie::RAPPORT_MODIFIE,
            Erreur::Occupe { .. } => code_sortie::OCCUPE,
        }
    }

    pub fn configuration(p: Probleme) -> Erreur {
        Erreur::Configuration(Box::new(p))
    }

    pub fn acces(chemin: &Path, action: &'static str) -> impl FnOnce(std::io::Error) -> Erreur {
        let chemin = chemin.to_path_buf();
        move |source| Erreur::EntreeSortie {
            chemin,
            action,
            source,
        }
    }

    /// A JSON file of the program's (`contexte`) could not be written.
    pub fn json(contexte: &'static str) -> impl FnOnce(serde_json::Error) -> Erreur {
        move |source| Erreur::Json { contexte, source }
    }
}

pub type Resultat<T> = Result<T, Erreur>;
