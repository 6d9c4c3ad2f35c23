//! The command line (clap types only), in French, and its resolution into
//! [`Settings`](crate::Settings).

use std::path::PathBuf;

use clap::{ArgAction, Args, Parser, Subcommand};

use crate::settings::Options;

const MODELE_AIDE: &str = "\
{before-help}{about-with-newline}
Utilisation : {usage}

{all-args}{after-help}";

/// Annexe statistique des quartiers prioritaires de la politique de la ville (QPV).
///
/// Lit les exports (France Travail, missions locales, registres de
/// financement, référentiel des QPV), calcule les indicateurs et écrit dans
/// reports/<période>/ le classeur, la synthèse PDF, les documents de chaque
/// commune et indicateurs.csv ; « send » les adresse aux communes.
#[derive(Debug, Parser)]
#[command(
    name = "qpv-annexe",
    version,
    help_template = MODELE_AIDE,
    subcommand_help_heading = "Commandes",
    next_help_heading = "Options",
    disable_help_flag = true,
    disable_version_flag = true,
    disable_help_subcommand = true,
    subcommand_value_name = "COMMANDE"
)]
pub struct Cli {
    #[command(subcommand)]
    pub commande: Commande,

    /// Affiche l'aide
    #[arg(short = 'h', long = "help", action = ArgAction::Help, global = true)]
    aide: Option<bool>,

    /// Affiche la version
    #[arg(short = 'V', long = "version", action = ArgAction::Version)]
    version: Option<bool>,
}

#[derive(Debug, Subcommand)]
pub enum Commande {
    /// Calcule les indicateurs et écrit le rapport de la période du conseil
    #[command(help_template = MODELE_AIDE, next_help_heading = "Options")]
    Run(RunArgs),
    /// Vérifie les exports et les réglages sans rien écrire
    #[command(help_template = MODELE_AIDE, next_help_heading = "Options")]
    Validate(ValidateArgs),
    /// Prépare (et avec --smtp envoie) à chaque commune ses documents
    #[command(help_template = MODELE_AIDE, next_help_heading = "Options")]
    Send(SendArgs),
}

#[derive(Debug, Clone, Args)]
pub struct SendArgs {
    #[command(flatten)]
    pub commun: CommunArgs,

    /// Dossier des rapports ; le rapport envoyé est DOSSIER/<période>/
    ///  [défaut : reports]
    #[arg(
        short,
        long,
        value_name = "DOSSIER",
        default_value = "reports",
        hide_default_value = true
    )]
    pub reports: PathBuf,

    /// Envoie les messages par le serveur SMTP de [envoi] (sinon : outbox/ seulement)
    #[arg(long)]
    pub smtp: bool,

    /// Affiche ce qui serait envoyé, sans rien écrire ni envoyer
    #[arg(long = "dry-run")]
    pub simulation: bool,
}

#[derive(Debug, Clone, Args)]
pub struct CommunArgs {
    /// Fichier de réglages du conseil ; les exports sont cherchés dans son dossier [défaut : inputs/conseil.toml]
    #[arg(
        short,
        long,
        value_name = "FICHIER",
        default_value = "inputs/conseil.toml",
        hide_default_value = true
    )]
    pub config: PathBuf,

    /// N'affiche que les erreurs
    #[arg(short, long, conflicts_with = "verbeux")]
    pub quiet: bool,

    /// Détaille chaque fichier lu
    #[arg(short, long = "verbose", id = "verbeux")]
    pub verbose: bool,
}

#[derive(Debug, Clone, Args)]
pub struct RunArgs {
    #[command(flatten)]
    pub commun: CommunArgs,

    /// Dossier des rapports ; le rapport est écrit dans DOSSIER/<période>/
    ///  [défaut : reports]
    #[arg(
        short,
        long,
        value_name = "DOSSIER",
        default_value = "reports",
        hide_default_value = true
    )]
    pub reports: PathBuf,

    /// Remplace le rapport de la période s'il existe déjà
    #[arg(long)]
    pub force: bool,

    /// Rapport à usage interne, sans secret statistique (non diffusable)
    #[arg(long)]
    pub interne: bool,

    #[command(flatten)]
    pub selection: SelectionArgs,
}

#[derive(Debug, Clone, Args)]
pub struct ValidateArgs {
    #[command(flatten)]
    pub commun: CommunArgs,

    #[command(flatten)]
    pub selection: SelectionArgs,
}

/// `--departements`, shared by `run` and `validate`.
#[derive(Debug, Clone, Args)]
pub struct SelectionArgs {
    /// Départements à traiter : « all » (tous ceux des exports nationaux) ou une liste, par exemple 92,93,95 [défaut : celui de conseil.toml]
    #[arg(short, long, value_name = "CODES")]
    pub departements: Option<String>,
}

/// How much the run says on stderr.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Verbosite {
    Silencieux,
    Normal,
    Detaille,
}

impl CommunArgs {
    pub fn verbosite(&self) -> Verbosite {
        match (self.quiet, self.verbose) {
            (true, _) => Verbosite::Silencieux,
            (_, true) => Verbosite::Detaille,
            _ => Verbosite::Normal,
        }
    }
}

impl Commande {
    pub fn options(&self) -> Options {
        match self {
            Commande::Run(a) => Options {
                config: a.commun.config.clone(),
                rapports: a.reports.clone(),
                remplacer: a.force,
                interne: a.interne,
                departements: a.selection.departements.clone(),
            },
            Commande::Validate(a) => Options {
                config: a.commun.config.clone(),
                rapports: PathBuf::from("reports"),
                remplacer: false,
                interne: false,
                departements: a.selection.departements.clone(),
            },
            Commande::Send(a) => Options {
                config: a.commun.config.clone(),
                rapports: a.reports.clone(),
                remplacer: false,
                interne: false,
                departements: None,
            },
        }
    }

    pub fn verbosite(&self) -> Verbosite {
        match self {
            Commande::Run(a) => a.commun.verbosite(),
            Commande::Validate(a) => a.commun.verbosite(),
            Commande::Send(a) => a.commun.verbosite(),
        }
    }
}

/// clap's usage errors, said in French: what was wrong, and where to look.
pub fn message_erreur(e: &clap::Error) -> String {
    use clap::error::{ContextKind, ErrorKind};
    let contexte = |k| e.get(k).map(|v| v.to_string()).unwrap_or_default();
    let quoi = match e.kind() {
        ErrorKind::InvalidSubcommand => format!(
            "commande inconnue « {} »",
            contexte(ContextKind::InvalidSubcommand)
        ),
        ErrorKind::UnknownArgument => {
            format!("option inconnue « {} »", contexte(ContextKind::InvalidArg))
        }
        ErrorKind::InvalidValue => format!(
            "valeur invalide « {} » pour {}",
            contexte(ContextKind::InvalidValue),
            contexte(ContextKind::InvalidArg)
        ),
        ErrorKind::MissingRequiredArgument => format!(
            "argument obligatoire absent : {}",
            contexte(ContextKind::InvalidArg)
        ),
        ErrorKind::MissingSubcommand | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            "commande absente (run, validate ou send)".to_string()
        }
        ErrorKind::ArgumentConflict => format!(
            "options incompatibles : {} et {}",
            contexte(ContextKind::InvalidArg),
            contexte(ContextKind::PriorArg)
        ),
        ErrorKind::NoEquals
        | ErrorKind::ValueValidation
        | ErrorKind::TooManyValues
        | ErrorKind::TooFewValues
        | ErrorKind::WrongNumberOfValues => {
            format!("valeur invalide pour {}", contexte(ContextKind::InvalidArg))
        }
        _ => "ligne de commande invalide".to_string(),
    };
    format!("{quoi} ; voir « qpv-annexe --help »")
}
