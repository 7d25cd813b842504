//! Sparse vectors over hashed words and entities: sorted by key, so that a dot product is
//! one merge and every sum is taken in the same order (deterministic to the last bit).

/// A sparse vector, sorted by key, no key twice.
pub type Sparse = Vec<(u64, f32)>;

/// The dot product of two sorted sparse vectors.
pub fn dot(a: &[(u64, f32)], b: &[(u64, f32)]) -> f32 {
    let (mut i, mut j, mut sum) = (0, 0, 0.0);
    while i < a.len() && j < b.len() {
        match a[i].0.cmp(&b[j].0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                sum += a[i].1 * b[j].1;
                i += 1;
                j += 1;
            }
        }
    }
    sum
}

/// The vector scaled to length one (unchanged when zero).
pub fn normalized(mut v: Sparse) -> Sparse {
    let norm = dot(&v, &v).sqrt();
    if norm > 0.0 {
        v.iter_mut().for_each(|(_, w)| *w /= norm);
    }
    v
}

/// The `k` heaviest entries, sorted by key again (ties kept by key).
pub fn top(mut v: Sparse, k: usize) -> Sparse {
    if v.len() > k {
        v.sort_unstable_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        v.truncate(k);
        v.sort_unstable_by_key(|&(t, _)| t);
    }
    v
}

/// `a + b`, sorted.
pub fn add(a: &[(u64, f32)], b: &[(u64, f32)]) -> Sparse {
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        if j == b.len() || (i < a.len() && a[i].0 < b[j].0) {
            out.push(a[i]);
            i += 1;
        } else if i == a.len() || b[j].0 < a[i].0 {
            out.push(b[j]);
            j += 1;
        } else {
            out.push((a[i].0, a[i].1 + b[j].1));
            i += 1;
            j += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dot_add_and_top_agree() {
        let a = vec![(1, 1.0), (3, 2.0)];
        let b = vec![(2, 5.0), (3, 1.0)];
        assert_eq!(dot(&a, &b), 2.0);
        assert_eq!(add(&a, &b), vec![(1, 1.0), (2, 5.0), (3, 3.0)]);
        assert_eq!(top(add(&a, &b), 2), vec![(2, 5.0), (3, 3.0)]);
        let n = normalized(vec![(1, 3.0), (2, 4.0)]);
        assert!((dot(&n, &n) - 1.0).abs() < 1e-6);
    }
}
