//! The logical structure of a PDF (tagged PDF, PDF/UA-1): the tree of
//! structure elements the layout opens and closes as it draws, so that the
//! tags come from the same calls as the drawing and cannot disagree with
//! it. Each drawn thing ([`super::document::Trace`]) carries the element
//! it belongs to, or none for an artifact (rules, grounds, footers).

use pdf_writer::types::StructRole;

/// The structure types used (ISO 32000-1, 14.8.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Role {
    Document,
    Titre1,
    Titre2,
    Titre3,
    Paragraphe,
    Liste,
    ElementDeListe,
    Puce,
    CorpsDeListe,
    Tableau,
    LigneDeTableau,
    /// A column's header cell (`TH`, scope column).
    EnTete,
    /// A row's header cell: its first (`TH`, scope row).
    EnTeteDeLigne,
    Cellule,
    Figure,
}

impl Role {
    pub(super) fn pdf(self) -> StructRole {
        match self {
            Role::Document => StructRole::Document,
            Role::Titre1 => StructRole::H1,
            Role::Titre2 => StructRole::H2,
            Role::Titre3 => StructRole::H3,
            Role::Paragraphe => StructRole::P,
            Role::Liste => StructRole::L,
            Role::ElementDeListe => StructRole::LI,
            Role::Puce => StructRole::Lbl,
            Role::CorpsDeListe => StructRole::LBody,
            Role::Tableau => StructRole::Table,
            Role::LigneDeTableau => StructRole::TR,
            Role::EnTete | Role::EnTeteDeLigne => StructRole::TH,
            Role::Cellule => StructRole::TD,
            Role::Figure => StructRole::Figure,
        }
    }
}

/// One structure element: its type, its parent, its child elements in
/// reading order, and, for a figure, what it shows.
#[derive(Debug, Clone)]
pub(super) struct Element {
    pub(super) role: Role,
    pub(super) parent: Option<usize>,
    pub(super) enfants: Vec<usize>,
    pub(super) alt: Option<String>,
}

/// The tree being built: element 0 is the document; `pile`, the elements
/// open, innermost last.
#[derive(Debug, Clone)]
pub(super) struct Arbre {
    pub(super) elements: Vec<Element>,
    pile: Vec<usize>,
}

impl Arbre {
    pub(super) fn new() -> Arbre {
        Arbre {
            elements: vec![Element {
                role: Role::Document,
                parent: None,
                enfants: Vec::new(),
                alt: None,
            }],
            pile: vec![0],
        }
    }

    /// Opens an element of type `role` inside the innermost open one.
    pub(super) fn ouvrir(&mut self, role: Role) -> usize {
        let parent = self.courant();
        let id = self.elements.len();
        self.elements.push(Element {
            role,
            parent: Some(parent),
            enfants: Vec::new(),
            alt: None,
        });
        self.elements[parent].enfants.push(id);
        self.pile.push(id);
        id
    }

    /// Closes the innermost open element (never the document).
    pub(super) fn fermer(&mut self) {
        if self.pile.len() > 1 {
            self.pile.pop();
        }
    }

    /// The innermost open element.
    pub(super) fn courant(&self) -> usize {
        self.pile.last().copied().unwrap_or(0)
    }

    /// The alternative text of element `id` (a figure's).
    pub(super) fn decrire(&mut self, id: usize, alt: String) {
        self.elements[id].alt = Some(alt);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn les_elements_s_emboitent_dans_l_ordre_de_lecture() {
        let mut a = Arbre::new();
        let h = a.ouvrir(Role::Titre1);
        a.fermer();
        let t = a.ouvrir(Role::Tableau);
        let tr = a.ouvrir(Role::LigneDeTableau);
        let td = a.ouvrir(Role::Cellule);
        assert_eq!(a.courant(), td);
        a.fermer();
        a.fermer();
        a.fermer();
        a.fermer();
        assert_eq!(a.courant(), 0, "le document reste ouvert");
        assert_eq!(a.elements[0].enfants, [h, t]);
        assert_eq!(a.elements[t].enfants, [tr]);
        assert_eq!(a.elements[td].parent, Some(tr));
    }
}
