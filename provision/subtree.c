/* SPDX-License-Identifier: MIT */
/*
 * subtree: subject filters in a token tree (see subtree.h).
 *
 * Nodes live in one array and refer to each other by index, so growing the
 * array moves nothing that is referred to.  A node's literal children are
 * found through one hash table keyed by (parent, token); its '*' and '>'
 * children have fields of their own; every child is also on the parent's
 * sibling list, for the walks a query '*' or '>' needs.  Walks use an
 * explicit stack, so a subject of many tokens cannot exhaust the C stack.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "subtree.h"

#define NONE	SIZE_MAX

struct subtree_entry {
	size_t	owner;
	size_t	item;
};

struct subtree_node {
	size_t			 tok;		/* offset in the arena */
	size_t			 len;
	size_t			 parent;
	size_t			 child;		/* first child */
	size_t			 next;		/* next sibling */
	size_t			 star;		/* the '*' child */
	size_t			 gt;		/* the '>' child */
	struct subtree_entry	*ent;
	size_t			 nent;
	size_t			 capent;
};

struct subtree {
	struct subtree_node	*nodes;		/* [0] is the root */
	size_t			 n;
	size_t			 cap;
	char			*arena;		/* literal tokens */
	size_t			 alen;
	size_t			 acap;
	size_t			*hash;		/* node index + 1; 0 is empty */
	size_t			 hcap;		/* a power of two */
};

struct subtree_frame {
	size_t		 node;
	const char	*p;		/* the query's rest; NULL at its end */
	bool		 all;		/* report this node and all below */
};

struct subtree_stack {
	struct subtree_frame	*v;
	size_t			 n;
	size_t			 cap;
};

static int
subtree_grow(void **v, size_t *cap, size_t need, size_t size)
{
	size_t	ncap;
	void	*p;

	if (need <= *cap)
		return 0;
	ncap = *cap == 0 ? 16 : *cap;
	while (ncap < need) {
		if (ncap > SIZE_MAX / 2 / size)
			return -ENOMEM;
		ncap *= 2;
	}
	if ((p = realloc(*v, ncap * size)) == NULL)
		return -ENOMEM;
	*v = p;
	*cap = ncap;
	return 0;
}

/* The next token of *p; *p becomes NULL after the last one. */
static void
subtree_token(const char **p, const char **ret_tok, size_t *ret_len)
{
	const char	*s = *p, *e = strchr(s, '.');

	*ret_tok = s;
	if (e == NULL) {
		*ret_len = strlen(s);
		*p = NULL;
	} else {
		*ret_len = (size_t)(e - s);
		*p = e + 1;
	}
}

static bool
subtree_is(const char *tok, size_t len, char c)
{
	return len == 1 && tok[0] == c;
}

static size_t
subtree_hash(size_t parent, const char *tok, size_t len)
{
	uint64_t	h = UINT64_C(1469598103934665603) ^ (uint64_t)parent;
	size_t		i;

	for (i = 0; i < len; i++) {
		h ^= (unsigned char)tok[i];
		h *= UINT64_C(1099511628211);
	}
	return (size_t)(h ^ h >> 29);
}

static size_t
subtree_find(const struct subtree *t, size_t parent, const char *tok,
    size_t len)
{
	const struct subtree_node	*nd;
	size_t				 i, k;

	i = subtree_hash(parent, tok, len) & (t->hcap - 1);
	while ((k = t->hash[i]) != 0) {
		nd = &t->nodes[k - 1];
		if (nd->parent == parent && nd->len == len &&
		    memcmp(t->arena + nd->tok, tok, len) == 0)
			return k - 1;
		i = (i + 1) & (t->hcap - 1);
	}
	return NONE;
}

static void
subtree_hash_put(struct subtree *t, size_t k)
{
	const struct subtree_node	*nd = &t->nodes[k];
	size_t				 i;

	i = subtree_hash(nd->parent, t->arena + nd->tok, nd->len) &
	    (t->hcap - 1);
	while (t->hash[i] != 0)
		i = (i + 1) & (t->hcap - 1);
	t->hash[i] = k + 1;
}

/* Make room for need nodes, keeping the table at most half full. */
static int
subtree_rehash(struct subtree *t, size_t need)
{
	size_t	 ncap, k;
	size_t	*old = t->hash;

	if (need < t->hcap / 2)
		return 0;
	ncap = t->hcap == 0 ? 64 : t->hcap;
	while (need >= ncap / 2) {
		if (ncap > SIZE_MAX / 2 / sizeof(*t->hash))
			return -ENOMEM;
		ncap *= 2;
	}
	if ((t->hash = calloc(ncap, sizeof(*t->hash))) == NULL) {
		t->hash = old;
		return -ENOMEM;
	}
	free(old);
	t->hcap = ncap;
	for (k = 1; k < t->n; k++)
		if (t->nodes[k].len > 0)
			subtree_hash_put(t, k);
	return 0;
}

/* A new child of parent; wildcard children have len 0 in the arena. */
static int
subtree_add(struct subtree *t, size_t parent, const char *tok, size_t len,
    size_t *ret)
{
	struct subtree_node	*nd;
	bool			 star = subtree_is(tok, len, '*');
	bool			 gt = subtree_is(tok, len, '>');
	size_t			 k = t->n;
	int			 r;

	if ((r = subtree_grow((void **)&t->nodes, &t->cap, t->n + 1,
	    sizeof(*t->nodes))) < 0)
		return r;
	if (!star && !gt && ((r = subtree_grow((void **)&t->arena, &t->acap,
	    t->alen + len, 1)) < 0 || (r = subtree_rehash(t, t->n + 1)) < 0))
		return r;
	nd = &t->nodes[k];
	memset(nd, 0, sizeof(*nd));
	nd->parent = parent;
	nd->child = nd->star = nd->gt = NONE;
	nd->next = t->nodes[parent].child;
	if (!star && !gt) {
		memcpy(t->arena + t->alen, tok, len);
		nd->tok = t->alen;
		nd->len = len;
		t->alen += len;
	}
	t->n++;
	t->nodes[parent].child = k;
	if (star)
		t->nodes[parent].star = k;
	else if (gt)
		t->nodes[parent].gt = k;
	else
		subtree_hash_put(t, k);
	*ret = k;
	return 0;
}

int
subtree_new(struct subtree **ret)
{
	struct subtree	*t;
	size_t		 root;

	if ((t = calloc(1, sizeof(*t))) == NULL)
		return -ENOMEM;
	if (subtree_grow((void **)&t->nodes, &t->cap, 1,
	    sizeof(*t->nodes)) < 0) {
		free(t);
		return -ENOMEM;
	}
	root = t->n++;
	memset(&t->nodes[root], 0, sizeof(t->nodes[root]));
	t->nodes[root].parent = t->nodes[root].child = NONE;
	t->nodes[root].next = t->nodes[root].star = t->nodes[root].gt = NONE;
	*ret = t;
	return 0;
}

void
subtree_free(struct subtree *t)
{
	size_t	k;

	if (t == NULL)
		return;
	for (k = 0; k < t->n; k++)
		free(t->nodes[k].ent);
	free(t->nodes);
	free(t->arena);
	free(t->hash);
	free(t);
}

int
subtree_insert(struct subtree *t, const char *subject, size_t owner,
    size_t item)
{
	struct subtree_node	*nd;
	const char		*p = subject, *tok;
	size_t			 k = 0, c, len;
	int			 r;

	if (subject == NULL || subject[0] == '\0')
		return -EINVAL;
	while (p != NULL) {
		subtree_token(&p, &tok, &len);
		if (len == 0)
			return -EINVAL;
		if (subtree_is(tok, len, '*'))
			c = t->nodes[k].star;
		else if (subtree_is(tok, len, '>'))
			c = t->nodes[k].gt;
		else
			c = t->hcap > 0 ? subtree_find(t, k, tok, len) : NONE;
		if (c == NONE && (r = subtree_add(t, k, tok, len, &c)) < 0)
			return r;
		k = c;
	}
	nd = &t->nodes[k];
	if ((r = subtree_grow((void **)&nd->ent, &nd->capent, nd->nent + 1,
	    sizeof(*nd->ent))) < 0)
		return r;
	nd->ent[nd->nent].owner = owner;
	nd->ent[nd->nent].item = item;
	nd->nent++;
	return 0;
}

static int
subtree_push(struct subtree_stack *s, size_t node, const char *p, bool all)
{
	int	r;

	if ((r = subtree_grow((void **)&s->v, &s->cap, s->n + 1,
	    sizeof(*s->v))) < 0)
		return r;
	s->v[s->n].node = node;
	s->v[s->n].p = p;
	s->v[s->n].all = all;
	s->n++;
	return 0;
}

static int
subtree_report(const struct subtree_node *nd, subtree_fn fn, void *arg)
{
	size_t	i;
	int	r;

	for (i = 0; i < nd->nent; i++)
		if ((r = fn(arg, nd->ent[i].owner, nd->ent[i].item)) != 0)
			return r;
	return 0;
}

/* Push every child of node, except skip, as a frame (p, all). */
static int
subtree_push_children(const struct subtree *t, struct subtree_stack *s,
    size_t node, size_t skip, const char *p, bool all)
{
	size_t	c;
	int	r;

	for (c = t->nodes[node].child; c != NONE; c = t->nodes[c].next)
		if (c != skip && (r = subtree_push(s, c, p, all)) < 0)
			return r;
	return 0;
}

int
subtree_match(const struct subtree *t, const char *subject, subtree_fn fn,
    void *arg)
{
	struct subtree_stack		 s = { NULL, 0, 0 };
	const struct subtree_node	*nd;
	struct subtree_frame		 f;
	const char			*tok;
	size_t				 len, c;
	int				 r;

	if (subject == NULL || subject[0] == '\0')
		return -EINVAL;
	if ((r = subtree_push(&s, 0, subject, false)) < 0)
		goto out;
	while (s.n > 0) {
		f = s.v[--s.n];
		nd = &t->nodes[f.node];
		if (f.all) {
			/* below a query '>': everything matches */
			if ((r = subtree_report(nd, fn, arg)) != 0 ||
			    (r = subtree_push_children(t, &s, f.node, NONE,
			    NULL, true)) < 0)
				goto out;
			continue;
		}
		if (f.p == NULL) {
			if ((r = subtree_report(nd, fn, arg)) != 0)
				goto out;
			continue;
		}
		subtree_token(&f.p, &tok, &len);
		if (len == 0) {
			r = -EINVAL;
			goto out;
		}
		if (subtree_is(tok, len, '>')) {
			r = subtree_push_children(t, &s, f.node, NONE, NULL,
			    true);
			if (r < 0)
				goto out;
			continue;
		}
		/* a '>' in the tree takes this token and all the rest */
		if (nd->gt != NONE &&
		    (r = subtree_report(&t->nodes[nd->gt], fn, arg)) != 0)
			goto out;
		if (subtree_is(tok, len, '*')) {
			r = subtree_push_children(t, &s, f.node, nd->gt, f.p,
			    false);
			if (r < 0)
				goto out;
			continue;
		}
		if (nd->star != NONE &&
		    (r = subtree_push(&s, nd->star, f.p, false)) < 0)
			goto out;
		c = t->hcap > 0 ? subtree_find(t, f.node, tok, len) : NONE;
		if (c != NONE && (r = subtree_push(&s, c, f.p, false)) < 0)
			goto out;
	}
	r = 0;
out:
	free(s.v);
	return r;
}
