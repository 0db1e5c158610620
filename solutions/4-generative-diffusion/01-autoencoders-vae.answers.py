"""Answer variants for 01-autoencoders-vae.ipynb, run by `autograder check` against the graded tests.

WRONG: plausible wrong answers; each must fail at least one graded test of its exercise.
RIGHT: different but valid answers; each must pass every graded test of its exercise.
Keys are the grade_id of the exercise's solution cell; values map a short name to the cell source.
WARNED: the WRONG answers that fall into a trap the exercise text warns about; the visible part of the
tests alone must catch them.
EQUIVALENT: surviving mutants (`autograder mutate`) reviewed as equivalent to the solution on every
valid input, with the reason.
"""

WRONG = {
    "principal_angles": {
        "no orthonormalisation: singular values of A^T B": '''
def principal_angles(A, B):
    cosines = torch.linalg.svdvals(A.T @ B)
    return torch.arccos(cosines.clamp(0.0, 1.0))
''',
        "only A orthonormalised": '''
def principal_angles(A, B):
    Q_A, _ = torch.linalg.qr(A)
    cosines = torch.linalg.svdvals(Q_A.T @ B)
    return torch.arccos(cosines.clamp(0.0, 1.0))
''',
        "columns normalised, not orthonormalised": '''
def principal_angles(A, B):
    Q_A = A / A.norm(dim=0, keepdim=True)
    Q_B = B / B.norm(dim=0, keepdim=True)
    cosines = torch.linalg.svdvals(Q_A.T @ Q_B)
    return torch.arccos(cosines.clamp(0.0, 1.0))
''',
        "no clamp: nan when a cosine rounds above 1": '''
def principal_angles(A, B):
    Q_A, _ = torch.linalg.qr(A)
    Q_B, _ = torch.linalg.qr(B)
    return torch.arccos(torch.linalg.svdvals(Q_A.T @ Q_B))
''',
        "the cosines, not the angles": '''
def principal_angles(A, B):
    Q_A, _ = torch.linalg.qr(A)
    Q_B, _ = torch.linalg.qr(B)
    return torch.linalg.svdvals(Q_A.T @ Q_B).clamp(0.0, 1.0)
''',
        "degrees": '''
def principal_angles(A, B):
    Q_A, _ = torch.linalg.qr(A)
    Q_B, _ = torch.linalg.qr(B)
    return torch.rad2deg(torch.arccos(torch.linalg.svdvals(Q_A.T @ Q_B).clamp(0.0, 1.0)))
''',
        "decreasing order (flipped)": '''
def principal_angles(A, B):
    Q_A, _ = torch.linalg.qr(A)
    Q_B, _ = torch.linalg.qr(B)
    return torch.arccos(torch.linalg.svdvals(Q_A.T @ Q_B).clamp(0.0, 1.0)).flip(0)
''',
        "computed in float32": '''
def principal_angles(A, B):
    Q_A, _ = torch.linalg.qr(A.float())
    Q_B, _ = torch.linalg.qr(B.float())
    return torch.arccos(torch.linalg.svdvals(Q_A.T @ Q_B).clamp(0.0, 1.0))
''',
        "scipy.linalg.subspace_angles (off limits)": '''
def principal_angles(A, B):
    import scipy.linalg
    angles = scipy.linalg.subspace_angles(A.detach().numpy(), B.detach().numpy())
    return torch.from_numpy(np.sort(angles).copy()).to(A.dtype)
''',
        # red team 2026-12-03
        "QR in complete mode: D x D bases": '''
def principal_angles(A, B):
    Q_A, _ = torch.linalg.qr(A, mode="complete")
    Q_B, _ = torch.linalg.qr(B, mode="complete")
    return torch.arccos(torch.linalg.svdvals(Q_A.T @ Q_B).clamp(0.0, 1.0))
''',
        "U of torch.linalg.svd with full matrices (the default)": '''
def principal_angles(A, B):
    U_A = torch.linalg.svd(A)[0]
    U_B = torch.linalg.svd(B)[0]
    return torch.arccos(torch.linalg.svdvals(U_A.T @ U_B).clamp(0.0, 1.0))
''',
        "eigenvalues of M^T M: k_B cosines, not min(k_A, k_B)": '''
def principal_angles(A, B):
    Q_A, _ = torch.linalg.qr(A)
    Q_B, _ = torch.linalg.qr(B)
    M = Q_A.T @ Q_B
    cosines = torch.linalg.eigvalsh(M.T @ M).clamp(0.0, 1.0).sqrt().flip(0)
    return torch.arccos(cosines)
''',
        "columns normalised in place first": '''
def principal_angles(A, B):
    A /= A.norm(dim=0, keepdim=True)
    B /= B.norm(dim=0, keepdim=True)
    Q_A, _ = torch.linalg.qr(A)
    Q_B, _ = torch.linalg.qr(B)
    return torch.arccos(torch.linalg.svdvals(Q_A.T @ Q_B).clamp(0.0, 1.0))
''',
        "arcsin instead of arccos": '''
def principal_angles(A, B):
    Q_A, _ = torch.linalg.qr(A)
    Q_B, _ = torch.linalg.qr(B)
    return torch.arcsin(torch.linalg.svdvals(Q_A.T @ Q_B).clamp(0.0, 1.0)).flip(0)
''',
        "cosines clamped to 1 - 1e-7 (a safety margin)": '''
def principal_angles(A, B):
    Q_A, _ = torch.linalg.qr(A)
    Q_B, _ = torch.linalg.qr(B)
    return torch.arccos(torch.linalg.svdvals(Q_A.T @ Q_B).clamp(0.0, 1.0 - 1e-7))
''',
    },
    "answer_2_1": {
        "a: a deterministic decoder": '''
def answer_2_1():
    return "a"
''',
        "c: the code is too small": '''
def answer_2_1():
    return "c"
''',
        "d: the loss function": '''
def answer_2_1():
    return "d"
''',
        # red team 2026-12-03
        "the letter with a closing parenthesis": '''
def answer_2_1():
    return "b)"
''',
        "two letters": '''
def answer_2_1():
    return "bc"
''',
        "the statement, not its letter": '''
def answer_2_1():
    return "The decoder is trained only at the codes of training images"
''',
    },
    "reparameterize": {
        "the variance exp(logvar) instead of the standard deviation": '''
def reparameterize(mu, logvar, eps=None):
    if eps is None:
        eps = torch.randn_like(mu)
    return mu + torch.exp(logvar) * eps
''',
        "torch.normal(mu, std): no gradient, eps ignored": '''
def reparameterize(mu, logvar, eps=None):
    return torch.normal(mu, torch.exp(0.5 * logvar))
''',
        "eps ignored: always fresh noise": '''
def reparameterize(mu, logvar, eps=None):
    return mu + torch.exp(0.5 * logvar) * torch.randn_like(mu)
''',
        "mu detached": '''
def reparameterize(mu, logvar, eps=None):
    if eps is None:
        eps = torch.randn_like(mu)
    return mu.detach() + torch.exp(0.5 * logvar) * eps
''',
        "sigma detached": '''
def reparameterize(mu, logvar, eps=None):
    if eps is None:
        eps = torch.randn_like(mu)
    return mu + torch.exp(0.5 * logvar).detach() * eps
''',
        "eps changed in place": '''
def reparameterize(mu, logvar, eps=None):
    if eps is None:
        eps = torch.randn_like(mu)
    return eps.mul_(torch.exp(0.5 * logvar)).add_(mu)
''',
        "uniform noise (rand_like) when eps is None": '''
def reparameterize(mu, logvar, eps=None):
    if eps is None:
        eps = torch.rand_like(mu)
    return mu + torch.exp(0.5 * logvar) * eps
''',
        "noise drawn with torch.randn(mu.shape): float32 on the CPU": '''
def reparameterize(mu, logvar, eps=None):
    if eps is None:
        eps = torch.randn(mu.shape)
    return mu + torch.exp(0.5 * logvar) * eps
''',
        "sqrt(exp(logvar)) computed in float32": '''
def reparameterize(mu, logvar, eps=None):
    if eps is None:
        eps = torch.randn_like(mu)
    return mu + torch.sqrt(torch.exp(logvar.float())).to(mu.dtype) * eps
''',
        "the same noise on every call (a fixed seed)": '''
def reparameterize(mu, logvar, eps=None):
    if eps is None:
        g = torch.Generator(device=mu.device).manual_seed(0)
        eps = torch.randn(mu.shape, generator=g, dtype=mu.dtype, device=mu.device)
    return mu + torch.exp(0.5 * logvar) * eps
''',
        # red team 2026-12-03
        "noise drawn in float32 on mu's device (promoted afterwards)": '''
def reparameterize(mu, logvar, eps=None):
    if eps is None:
        eps = torch.randn(mu.shape, device=mu.device)
    return mu + torch.exp(0.5 * logvar) * eps
''',
        "logvar halved and exponentiated in place": '''
def reparameterize(mu, logvar, eps=None):
    if eps is None:
        eps = torch.randn_like(mu)
    return mu + logvar.mul_(0.5).exp_() * eps
''',
        "logvar clamped to [-10, 10] for stability": '''
def reparameterize(mu, logvar, eps=None):
    if eps is None:
        eps = torch.randn_like(mu)
    return mu + torch.exp(0.5 * logvar.clamp(-10.0, 10.0)) * eps
''',
        "one noise vector shared by the whole batch": '''
def reparameterize(mu, logvar, eps=None):
    if eps is None:
        eps = torch.randn(mu.shape[-1], dtype=mu.dtype, device=mu.device)
    return mu + torch.exp(0.5 * logvar) * eps
''',
        "eps = eps or randn_like: the truth value of a tensor": '''
def reparameterize(mu, logvar, eps=None):
    eps = eps or torch.randn_like(mu)
    return mu + torch.exp(0.5 * logvar) * eps
''',
    },
    "gaussian_kl": {
        "the standard deviation exp(logvar / 2) instead of the variance": '''
def gaussian_kl(mu, logvar):
    return 0.5 * (mu.pow(2) + torch.exp(0.5 * logvar) - 1.0 - logvar).sum(dim=-1)
''',
        "mean over the latent dimensions": '''
def gaussian_kl(mu, logvar):
    return 0.5 * (mu.pow(2) + logvar.exp() - 1.0 - logvar).mean(dim=-1)
''',
        "summed over the batch too (one number)": '''
def gaussian_kl(mu, logvar):
    return 0.5 * (mu.pow(2) + logvar.exp() - 1.0 - logvar).sum()
''',
        "the factor 1/2 forgotten": '''
def gaussian_kl(mu, logvar):
    return (mu.pow(2) + logvar.exp() - 1.0 - logvar).sum(dim=-1)
''',
        "+ logvar instead of - logvar": '''
def gaussian_kl(mu, logvar):
    return 0.5 * (mu.pow(2) + logvar.exp() - 1.0 + logvar).sum(dim=-1)
''',
        "summed over dim=1 (not the last dimension)": '''
def gaussian_kl(mu, logvar):
    return 0.5 * (mu.pow(2) + logvar.exp() - 1.0 - logvar).sum(dim=1)
''',
        "mu not squared": '''
def gaussian_kl(mu, logvar):
    return 0.5 * (mu.abs() + logvar.exp() - 1.0 - logvar).sum(dim=-1)
''',
        "torch.distributions (off limits)": '''
def gaussian_kl(mu, logvar):
    q = torch.distributions.Normal(mu, torch.exp(0.5 * logvar))
    p = torch.distributions.Normal(torch.zeros_like(mu), torch.ones_like(mu))
    return torch.distributions.kl_divergence(q, p).sum(-1)
''',
        # red team 2026-12-03
        "log(exp(logvar)) instead of logvar": '''
def gaussian_kl(mu, logvar):
    var = torch.exp(logvar)
    return 0.5 * (mu.pow(2) + var - 1.0 - torch.log(var)).sum(dim=-1)
''',
        "keepdim=True: shape [B, 1]": '''
def gaussian_kl(mu, logvar):
    return 0.5 * (mu.pow(2) + logvar.exp() - 1.0 - logvar).sum(dim=-1, keepdim=True)
''',
        "the reverse KL(p || q)": '''
def gaussian_kl(mu, logvar):
    return 0.5 * ((1.0 + mu.pow(2)) * torch.exp(-logvar) - 1.0 + logvar).sum(dim=-1)
''',
        "logvar exponentiated in place": '''
def gaussian_kl(mu, logvar):
    lv = logvar.clone()
    return 0.5 * (mu.pow(2) + logvar.exp_() - 1.0 - lv).sum(dim=-1)
''',
        "the 1 as torch.ones(mu.shape): on the CPU": '''
def gaussian_kl(mu, logvar):
    return 0.5 * (mu.pow(2) + logvar.exp() - torch.ones(mu.shape) - logvar).sum(dim=-1)
''',
        "torch.distributions.kl._kl_normal_normal on duck-typed loc/scale (off limits)": '''
def gaussian_kl(mu, logvar):
    from types import SimpleNamespace
    from torch.distributions.kl import _kl_normal_normal
    q = SimpleNamespace(loc=mu, scale=torch.exp(0.5 * logvar))
    p = SimpleNamespace(loc=torch.zeros_like(mu), scale=torch.ones_like(mu))
    return _kl_normal_normal(q, p).sum(-1)
''',
    },
    "answer_3_3": {
        "the standard deviation 2 used as the variance": '''
def answer_3_3():
    return 0.5 * (1 + 1 - 1 - 0) + 0.5 * (0 + 2 - 1 - math.log(4))
''',
        "log base 2": '''
def answer_3_3():
    return 0.5 * (1 + 1 - 1 - 0) + 0.5 * (0 + 4 - 1 - math.log2(4))
''',
        "only the second dimension": '''
def answer_3_3():
    return 0.5 * (0 + 4 - 1 - math.log(4))
''',
        # red team 2026-12-03
        "log sigma (ln 2) used for log sigma^2": '''
def answer_3_3():
    return 0.5 * (1 + 1 - 1 - 0) + 0.5 * (0 + 4 - 1 - math.log(2))
''',
        "in bits (divided by ln 2)": '''
def answer_3_3():
    return (2.0 - math.log(2.0)) / math.log(2.0)
''',
        "the factor 1/2 forgotten": '''
def answer_3_3():
    return (1 + 1 - 1 - 0) + (0 + 4 - 1 - math.log(4))
''',
        "the mean over the two dimensions": '''
def answer_3_3():
    return (0.5 * (1 + 1 - 1 - 0) + 0.5 * (0 + 4 - 1 - math.log(4))) / 2
''',
        "rounded to 2 decimals": '''
def answer_3_3():
    return round(2.0 - math.log(2.0), 2)
''',
        "a 0-dim tensor, not a float": '''
def answer_3_3():
    return gaussian_kl(torch.tensor([1.0, 0.0], dtype=torch.float64), torch.tensor([0.0, math.log(4.0)], dtype=torch.float64))
''',
    },
    "vae_loss": {
        "the default mean over pixels": '''
def vae_loss(x_logits, x, mu, logvar, beta=1.0):
    recon = F.binary_cross_entropy_with_logits(x_logits, x)
    return recon + beta * gaussian_kl(mu, logvar).mean()
''',
        "sigmoid, then binary_cross_entropy": '''
def vae_loss(x_logits, x, mu, logvar, beta=1.0):
    recon = F.binary_cross_entropy(torch.sigmoid(x_logits), x, reduction="none").flatten(1).sum(1)
    return (recon + beta * gaussian_kl(mu, logvar)).mean()
''',
        "summed over the batch": '''
def vae_loss(x_logits, x, mu, logvar, beta=1.0):
    recon = F.binary_cross_entropy_with_logits(x_logits, x, reduction="sum")
    return recon + beta * gaussian_kl(mu, logvar).sum()
''',
        "beta weighs the reconstruction": '''
def vae_loss(x_logits, x, mu, logvar, beta=1.0):
    recon = F.binary_cross_entropy_with_logits(x_logits, x, reduction="none").flatten(1).sum(1)
    return (beta * recon + gaussian_kl(mu, logvar)).mean()
''',
        "beta ignored": '''
def vae_loss(x_logits, x, mu, logvar, beta=1.0):
    recon = F.binary_cross_entropy_with_logits(x_logits, x, reduction="none").flatten(1).sum(1)
    return (recon + gaussian_kl(mu, logvar)).mean()
''',
        "the per-image losses [B], not their mean": '''
def vae_loss(x_logits, x, mu, logvar, beta=1.0):
    recon = F.binary_cross_entropy_with_logits(x_logits, x, reduction="none").flatten(1).sum(1)
    return recon + beta * gaussian_kl(mu, logvar)
''',
        "squared error instead of the binary cross-entropy": '''
def vae_loss(x_logits, x, mu, logvar, beta=1.0):
    recon = (torch.sigmoid(x_logits) - x).pow(2).flatten(1).sum(1)
    return (recon + beta * gaussian_kl(mu, logvar)).mean()
''',
        "logits and targets swapped": '''
def vae_loss(x_logits, x, mu, logvar, beta=1.0):
    recon = F.binary_cross_entropy_with_logits(x, torch.sigmoid(x_logits), reduction="none").flatten(1).sum(1)
    return (recon + beta * gaussian_kl(mu, logvar)).mean()
''',
        "the KL summed over the batch, the reconstruction averaged": '''
def vae_loss(x_logits, x, mu, logvar, beta=1.0):
    recon = F.binary_cross_entropy_with_logits(x_logits, x, reduction="none").flatten(1).sum(1)
    return recon.mean() + beta * gaussian_kl(mu, logvar).sum()
''',
        "computed in float32": '''
def vae_loss(x_logits, x, mu, logvar, beta=1.0):
    recon = F.binary_cross_entropy_with_logits(x_logits.float(), x.float(), reduction="none").flatten(1).sum(1)
    return (recon + beta * gaussian_kl(mu.float(), logvar.float())).mean()
''',
        # red team 2026-12-03
        "logits clamped to [-20, 20] for stability": '''
def vae_loss(x_logits, x, mu, logvar, beta=1.0):
    recon = F.binary_cross_entropy_with_logits(x_logits.clamp(-20.0, 20.0), x, reduction="none").flatten(1).sum(1)
    return (recon + beta * gaussian_kl(mu, logvar)).mean()
''',
        "the default mean times 256 (the pixel count hard-coded)": '''
def vae_loss(x_logits, x, mu, logvar, beta=1.0):
    recon = F.binary_cross_entropy_with_logits(x_logits, x) * 256
    return recon + beta * gaussian_kl(mu, logvar).mean()
''',
        "the KL on detached mu and logvar": '''
def vae_loss(x_logits, x, mu, logvar, beta=1.0):
    recon = F.binary_cross_entropy_with_logits(x_logits, x, reduction="none").flatten(1).sum(1)
    return (recon + beta * gaussian_kl(mu.detach(), logvar.detach())).mean()
''',
        "pixels summed over dims (1, 2, 3): 4-D images only": '''
def vae_loss(x_logits, x, mu, logvar, beta=1.0):
    recon = F.binary_cross_entropy_with_logits(x_logits, x, reduction="none").sum(dim=(1, 2, 3))
    return (recon + beta * gaussian_kl(mu, logvar)).mean()
''',
        "a Python float (.item())": '''
def vae_loss(x_logits, x, mu, logvar, beta=1.0):
    recon = F.binary_cross_entropy_with_logits(x_logits, x, reduction="none").flatten(1).sum(1)
    return (recon + beta * gaussian_kl(mu, logvar)).mean().item()
''',
        "squeeze(): a batch of one loses its batch dimension": '''
def vae_loss(x_logits, x, mu, logvar, beta=1.0):
    recon = F.binary_cross_entropy_with_logits(x_logits.squeeze(), x.squeeze(), reduction="none")
    recon = recon.reshape(recon.shape[0], -1).sum(1)
    return (recon + beta * gaussian_kl(mu, logvar)).mean()
''',
    },
    "answer_5_1": {
        "a: a larger KL": '''
def answer_5_1():
    return "a"
''',
        "b: sharper reconstructions": '''
def answer_5_1():
    return "b"
''',
        "d: nothing changes": '''
def answer_5_1():
    return "d"
''',
        # red team 2026-12-03
        "the letter with a period": '''
def answer_5_1():
    return "c."
''',
        "two letters": '''
def answer_5_1():
    return "cd"
''',
        "the statement, not its letter": '''
def answer_5_1():
    return "Its codes are closer to the prior and its reconstructions worse"
''',
    },
}

RIGHT = {
    "principal_angles": {
        "orthonormal bases from the SVD, angles sorted": '''
def principal_angles(A, B):
    U_A = torch.linalg.svd(A, full_matrices=False)[0]
    U_B = torch.linalg.svd(B, full_matrices=False)[0]
    s = torch.linalg.svd(U_A.T @ U_B)[1]
    return torch.sort(torch.acos(torch.clamp(s, max=1.0))).values
''',
        "Q_B^T Q_A, clamped with minimum": '''
def principal_angles(A, B):
    Q_A = torch.linalg.qr(A, mode="reduced").Q
    Q_B = torch.linalg.qr(B, mode="reduced").Q
    cos = torch.linalg.svdvals(Q_B.mT @ Q_A)
    return torch.arccos(torch.minimum(cos, torch.ones_like(cos)))
''',
    },
    "answer_2_1": {
        "upper case with spaces": '''
def answer_2_1():
    return " B "
''',
    },
    "reparameterize": {
        "std by sqrt(exp(logvar)), out-of-place eps": '''
def reparameterize(mu, logvar, eps=None):
    std = logvar.exp().sqrt()
    noise = torch.randn(mu.shape, dtype=mu.dtype, device=mu.device) if eps is None else eps
    return torch.addcmul(mu, std, noise)
''',
    },
    "gaussian_kl": {
        "written per term, with torch.sum over the last axis": '''
def gaussian_kl(mu, logvar):
    var = torch.exp(logvar)
    return -0.5 * torch.sum(1 + logvar - mu * mu - var, dim=-1)
''',
    },
    "answer_3_3": {
        "with gaussian_kl": '''
def answer_3_3():
    return gaussian_kl(torch.tensor([1.0, 0.0], dtype=torch.float64), torch.tensor([0.0, math.log(4.0)], dtype=torch.float64)).item()
''',
        "by dimension, as the text does": '''
def answer_3_3():
    return 0.5 * (1 + 1 - 1 - 0) + 0.5 * (0 + 4 - 1 - math.log(4))
''',
    },
    "vae_loss": {
        "reduction='sum' divided by the batch size": '''
def vae_loss(x_logits, x, mu, logvar, beta=1.0):
    B = x.shape[0]
    recon = F.binary_cross_entropy_with_logits(x_logits, x, reduction="sum") / B
    return recon + beta * gaussian_kl(mu, logvar).sum() / B
''',
        "the stable formula by hand: softplus(o) - x o": '''
def vae_loss(x_logits, x, mu, logvar, beta=1.0):
    recon = (F.softplus(x_logits) - x * x_logits).reshape(x.shape[0], -1).sum(-1)
    kl = 0.5 * (mu ** 2 + logvar.exp() - 1 - logvar).sum(-1)
    return torch.mean(recon + beta * kl)
''',
    },
    "answer_5_1": {
        "upper case": '''
def answer_5_1():
    return "C"
''',
    },
}

WARNED = {
    "principal_angles": ["no orthonormalisation: singular values of A^T B", "only A orthonormalised",
                         "no clamp: nan when a cosine rounds above 1", "the cosines, not the angles", "degrees",
                         "decreasing order (flipped)", "scipy.linalg.subspace_angles (off limits)"],
    "reparameterize": ["the variance exp(logvar) instead of the standard deviation", "torch.normal(mu, std): no gradient, eps ignored",
                       "eps ignored: always fresh noise", "mu detached", "sigma detached", "eps changed in place",
                       "uniform noise (rand_like) when eps is None"],
    "gaussian_kl": ["the standard deviation exp(logvar / 2) instead of the variance", "mean over the latent dimensions",
                    "summed over the batch too (one number)", "torch.distributions (off limits)"],
    "vae_loss": ["the default mean over pixels", "sigmoid, then binary_cross_entropy", "summed over the batch",
                 "beta weighs the reconstruction", "beta ignored", "the per-image losses [B], not their mean"],
}

EQUIVALENT = {
    "principal_angles": {
        "clone@12:4#0": "no gradient is promised and the tests' inputs never require grad: .detach() returns the same values",
    },
    "vae_loss": {
        "dim@9:93#1": "after .flatten(1) the per-pixel losses are 2-D [B, P]: sum(-1) is sum(1)",
    },
}

# ---- red team, round 3 (2026-12-03) ----
WRONG.setdefault("principal_angles", {}).update({
    "angles written into a tensor made on the CPU": '''
def principal_angles(A, B):
    Q_A, _ = torch.linalg.qr(A)
    Q_B, _ = torch.linalg.qr(B)
    cosines = torch.linalg.svdvals(Q_A.T @ Q_B)
    out = torch.empty(min(A.shape[1], B.shape[1]), dtype=A.dtype)
    out[:] = torch.arccos(cosines.clamp(0.0, 1.0))
    return out
''',
    "subspace_angles reached through scipy's private module": '''
def principal_angles(A, B):
    from scipy.linalg import _decomp_svd
    angles = _decomp_svd.subspace_angles(A.detach().numpy(), B.detach().numpy())
    return torch.from_numpy(np.sort(angles).copy()).to(A.dtype)
''',
    "eigenvalues of M M^T: k_A cosines, not min(k_A, k_B)": '''
def principal_angles(A, B):
    Q_A, _ = torch.linalg.qr(A)
    Q_B, _ = torch.linalg.qr(B)
    M = Q_A.T @ Q_B
    cosines = torch.linalg.eigvalsh(M @ M.T).clamp(0.0, 1.0).sqrt().flip(0)
    return torch.arccos(cosines)
''',
    "angles rebuilt with torch.tensor(list): float32": '''
def principal_angles(A, B):
    Q_A, _ = torch.linalg.qr(A)
    Q_B, _ = torch.linalg.qr(B)
    cosines = torch.linalg.svdvals(Q_A.T @ Q_B)
    return torch.tensor([math.acos(min(1.0, max(0.0, c))) for c in cosines.tolist()])
''',
    "QR of the transposes": '''
def principal_angles(A, B):
    Q_A, _ = torch.linalg.qr(A.T)
    Q_B, _ = torch.linalg.qr(B.T)
    return torch.arccos(torch.linalg.svdvals(Q_A.T @ Q_B).clamp(0.0, 1.0))
''',
})
WRONG.setdefault("reparameterize", {}).update({
    "noise always drawn in float64": '''
def reparameterize(mu, logvar, eps=None):
    if eps is None:
        eps = torch.randn(mu.shape, dtype=torch.float64, device=mu.device)
    return mu + torch.exp(0.5 * logvar) * eps
''',
    "the eps=None branch under torch.no_grad()": '''
def reparameterize(mu, logvar, eps=None):
    if eps is None:
        with torch.no_grad():
            return mu + torch.exp(0.5 * logvar) * torch.randn_like(mu)
    return mu + torch.exp(0.5 * logvar) * eps
''',
    "the result accumulated into mu in place": '''
def reparameterize(mu, logvar, eps=None):
    if eps is None:
        eps = torch.randn_like(mu)
    return mu.add_(torch.exp(0.5 * logvar) * eps)
''',
    "noise on the CPU in mu's dtype": '''
def reparameterize(mu, logvar, eps=None):
    if eps is None:
        eps = torch.randn(mu.shape, dtype=mu.dtype)
    return mu + torch.exp(0.5 * logvar) * eps
''',
    "softplus(logvar) as the standard deviation": '''
def reparameterize(mu, logvar, eps=None):
    if eps is None:
        eps = torch.randn_like(mu)
    return mu + F.softplus(logvar) * eps
''',
})
WRONG.setdefault("gaussian_kl", {}).update({
    "torch.distributions' MultivariateNormal KL by its private name (off limits)": '''
def gaussian_kl(mu, logvar):
    from torch.distributions import MultivariateNormal
    from torch.distributions.kl import _kl_multivariatenormal_multivariatenormal
    q = MultivariateNormal(mu, scale_tril=torch.diag_embed(torch.exp(0.5 * logvar)), validate_args=False)
    p = MultivariateNormal(torch.zeros_like(mu), scale_tril=torch.diag_embed(torch.ones_like(mu)), validate_args=False)
    return _kl_multivariatenormal_multivariatenormal(q, p)
''',
    "log(exp(logvar) + 1e-8): an epsilon guard": '''
def gaussian_kl(mu, logvar):
    var = logvar.exp()
    return 0.5 * (mu.pow(2) + var - 1.0 - torch.log(var + 1e-8)).sum(dim=-1)
''',
    "logvar clamped to [-20, 20] for stability": '''
def gaussian_kl(mu, logvar):
    lv = logvar.clamp(-20.0, 20.0)
    return 0.5 * (mu.pow(2) + lv.exp() - 1.0 - lv).sum(dim=-1)
''',
    "computed in float32, cast back": '''
def gaussian_kl(mu, logvar):
    m, lv = mu.float(), logvar.float()
    return (0.5 * (m.pow(2) + lv.exp() - 1.0 - lv).sum(dim=-1)).to(mu.dtype)
''',
    "keepdim=True, then squeeze()": '''
def gaussian_kl(mu, logvar):
    return 0.5 * (mu.pow(2) + logvar.exp() - 1.0 - logvar).sum(dim=-1, keepdim=True).squeeze()
''',
})
WRONG.setdefault("answer_3_3", {}).update({
    "rounded to 1 decimal": '''
def answer_3_3():
    return 1.3
''',
    "the -1 forgotten": '''
def answer_3_3():
    return 0.5 * (1 + 1 - 0) + 0.5 * (0 + 4 - math.log(4))
''',
    "a string": '''
def answer_3_3():
    return "1.307"
''',
})
WRONG.setdefault("vae_loss", {}).update({
    "targets rounded to 0 and 1": '''
def vae_loss(x_logits, x, mu, logvar, beta=1.0):
    recon = F.binary_cross_entropy_with_logits(x_logits, x.round(), reduction="none").flatten(1).sum(1)
    return (recon + beta * gaussian_kl(mu, logvar)).mean()
''',
    "beta or 1.0: beta = 0 becomes 1": '''
def vae_loss(x_logits, x, mu, logvar, beta=1.0):
    beta = beta or 1.0
    recon = F.binary_cross_entropy_with_logits(x_logits, x, reduction="none").flatten(1).sum(1)
    return (recon + beta * gaussian_kl(mu, logvar)).mean()
''',
    "pixels summed over the last two dims (channels kept)": '''
def vae_loss(x_logits, x, mu, logvar, beta=1.0):
    recon = F.binary_cross_entropy_with_logits(x_logits, x, reduction="none").sum(dim=(-2, -1))
    return (recon + beta * gaussian_kl(mu, logvar)).mean()
''',
    "logits detached in the reconstruction": '''
def vae_loss(x_logits, x, mu, logvar, beta=1.0):
    recon = F.binary_cross_entropy_with_logits(x_logits.detach(), x, reduction="none").flatten(1).sum(1)
    return (recon + beta * gaussian_kl(mu, logvar)).mean()
''',
    "default beta 0.5": '''
def vae_loss(x_logits, x, mu, logvar, beta=0.5):
    recon = F.binary_cross_entropy_with_logits(x_logits, x, reduction="none").flatten(1).sum(1)
    return (recon + beta * gaussian_kl(mu, logvar)).mean()
''',
})
WRONG.setdefault("answer_2_1", {}).update({
    "the index of b": '''
def answer_2_1():
    return 1
''',
})
WRONG.setdefault("answer_5_1", {}).update({
    "the index of c": '''
def answer_5_1():
    return 2
''',
})
RIGHT.setdefault("principal_angles", {}).update({
    "Householder QR by geqrf and householder_product": '''
def principal_angles(A, B):
    Q_A = torch.linalg.householder_product(*torch.geqrf(A))
    Q_B = torch.linalg.householder_product(*torch.geqrf(B))
    c = torch.linalg.svd(Q_A.mT @ Q_B, full_matrices=False).S
    return c.clamp(0, 1).acos()
''',
})
RIGHT.setdefault("gaussian_kl", {}).update({
    "the variance as the squared standard deviation": '''
def gaussian_kl(mu, logvar):
    std = torch.exp(0.5 * logvar)
    return (0.5 * (mu * mu + std * std - 1.0 - logvar)).sum(-1)
''',
})
RIGHT.setdefault("vae_loss", {}).update({
    "the default mean over all pixels times the pixels per image": '''
def vae_loss(x_logits, x, mu, logvar, beta=1.0):
    recon = F.binary_cross_entropy_with_logits(x_logits, x) * x[0].numel()
    return recon + beta * gaussian_kl(mu, logvar).mean()
''',
    "log-sigmoid form, summed then divided by the batch size": '''
def vae_loss(x_logits, x, mu, logvar, beta=1.0):
    ll = x * F.logsigmoid(x_logits) + (1 - x) * F.logsigmoid(-x_logits)
    return (-ll.sum() + beta * gaussian_kl(mu, logvar).sum()) / len(x)
''',
})
RIGHT.setdefault("reparameterize", {}).update({
    "randn_like(logvar), addcmul": '''
def reparameterize(mu, logvar, eps=None):
    noise = torch.randn_like(logvar) if eps is None else eps
    return torch.addcmul(mu, logvar.mul(0.5).exp(), noise)
''',
})

# ---- red team, round 5 ----
WRONG.setdefault("principal_angles", {}).update({
    "computed in float64: float32 inputs give float64 angles": '''
def principal_angles(A, B):
    Q_A, _ = torch.linalg.qr(A.double())
    Q_B, _ = torch.linalg.qr(B.double())
    return torch.arccos(torch.linalg.svdvals(Q_A.T @ Q_B).clamp(0.0, 1.0))
''',
    "angles as a fraction of a right angle": '''
def principal_angles(A, B):
    Q_A, _ = torch.linalg.qr(A)
    Q_B, _ = torch.linalg.qr(B)
    return torch.arccos(torch.linalg.svdvals(Q_A.T @ Q_B).clamp(0.0, 1.0)) / (math.pi / 2)
''',
})
WRONG.setdefault("reparameterize", {}).update({
    "one noise value per example, broadcast over the latent dimensions": '''
def reparameterize(mu, logvar, eps=None):
    if eps is None:
        eps = torch.randn(mu.shape[:-1] + (1,), dtype=mu.dtype, device=mu.device)
    return mu + torch.exp(0.5 * logvar) * eps
''',
    "noise truncated to [-3, 3] for stability": '''
def reparameterize(mu, logvar, eps=None):
    if eps is None:
        eps = torch.randn_like(mu).clamp(-3.0, 3.0)
    return mu + torch.exp(0.5 * logvar) * eps
''',
    "noise standardised over the batch (exactly mean 0, std 1)": '''
def reparameterize(mu, logvar, eps=None):
    if eps is None:
        eps = torch.randn_like(mu)
        eps = (eps - eps.mean()) / eps.std()
    return mu + torch.exp(0.5 * logvar) * eps
''',
    "std as exp(logvar) ** 0.5: inf once exp(logvar) overflows": '''
def reparameterize(mu, logvar, eps=None):
    if eps is None:
        eps = torch.randn_like(mu)
    return mu + torch.exp(logvar) ** 0.5 * eps
''',
    "noise made with torch.randn(*mu.shape), then .to(mu)": '''
def reparameterize(mu, logvar, eps=None):
    if eps is None:
        eps = torch.randn(*mu.shape).to(mu)
    return mu + torch.exp(0.5 * logvar) * eps
''',
})
WRONG.setdefault("gaussian_kl", {}).update({
    "squeeze() first: a batch of one loses its dimension": '''
def gaussian_kl(mu, logvar):
    mu, logvar = mu.squeeze(), logvar.squeeze()
    return 0.5 * (mu.pow(2) + logvar.exp() - 1.0 - logvar).sum(dim=-1)
''',
    "the 1 subtracted once per example, not per dimension": '''
def gaussian_kl(mu, logvar):
    return 0.5 * ((mu.pow(2) + logvar.exp() - logvar).sum(dim=-1) - 1.0)
''',
})
WRONG.setdefault("vae_loss", {}).update({
    "logits flattened with .view (fails on non-contiguous logits)": '''
def vae_loss(x_logits, x, mu, logvar, beta=1.0):
    B = x_logits.shape[0]
    recon = F.binary_cross_entropy_with_logits(x_logits.view(B, -1), x.view(B, -1), reduction="none").sum(1)
    return (recon + beta * gaussian_kl(mu, logvar)).mean()
''',
    "targets clamped to [1e-6, 1 - 1e-6]": '''
def vae_loss(x_logits, x, mu, logvar, beta=1.0):
    recon = F.binary_cross_entropy_with_logits(x_logits, x.clamp(1e-6, 1 - 1e-6), reduction="none").flatten(1).sum(1)
    return (recon + beta * gaussian_kl(mu, logvar)).mean()
''',
    "pixels per image from x.shape[-1] * x.shape[-2] (channels forgotten)": '''
def vae_loss(x_logits, x, mu, logvar, beta=1.0):
    recon = F.binary_cross_entropy_with_logits(x_logits, x) * x.shape[-1] * x.shape[-2]
    return recon + beta * gaussian_kl(mu, logvar).mean()
''',
})
RIGHT.setdefault("principal_angles", {}).update({
    "atan2 of sine and cosine": '''
def principal_angles(A, B):
    Q_A, _ = torch.linalg.qr(A)
    Q_B, _ = torch.linalg.qr(B)
    c = torch.linalg.svdvals(Q_A.mT @ Q_B).clamp(max=1.0)
    return torch.atan2((1 - c * c).clamp(min=0).sqrt(), c)
''',
})
RIGHT.setdefault("gaussian_kl", {}).update({
    "expm1(logvar) - logvar": '''
def gaussian_kl(mu, logvar):
    return 0.5 * (mu.square() + torch.expm1(logvar) - logvar).sum(-1)
''',
})
RIGHT.setdefault("vae_loss", {}).update({
    "the stable formula with relu and log1p(exp(-|o|)), summed over all but the batch dimension": '''
def vae_loss(x_logits, x, mu, logvar, beta=1.0):
    per_pixel = torch.relu(x_logits) - x_logits * x + torch.log1p(torch.exp(-x_logits.abs()))
    recon = per_pixel.sum(dim=tuple(range(1, x.dim())))
    return (recon + beta * gaussian_kl(mu, logvar)).mean()
''',
})
# moved from RIGHT: sqrt(exp(logvar)) is inf once exp(logvar) overflows (logvar > 88.7 in float32, > 709.8 in float64)
# while sigma = exp(logvar / 2) is still finite; the hidden tests now pass such a logvar (as gaussian_kl's do)
WRONG["reparameterize"]["std by sqrt(exp(logvar)) with addcmul: inf where exp(logvar) overflows (was RIGHT)"] = \
    RIGHT["reparameterize"].pop("std by sqrt(exp(logvar)), out-of-place eps")
RIGHT["reparameterize"].update({
    "std by exp(logvar / 2), noise by torch.randn with mu's dtype and device, addcmul": '''
def reparameterize(mu, logvar, eps=None):
    std = logvar.div(2).exp()
    noise = torch.randn(mu.shape, dtype=mu.dtype, device=mu.device) if eps is None else eps
    return torch.addcmul(mu, std, noise)
''',
})

# ------------------------------------------------------------------------------------------------
# Red team 6 (rtb): orthonormal bases from the Gram matrix or classical Gram-Schmidt (precision lost on
# nearly dependent columns), noise shaped for 2-D inputs only, noise from a private CPU generator.
# ------------------------------------------------------------------------------------------------

WRONG["principal_angles"].update({
    "classical Gram-Schmidt by hand": '''
def principal_angles(A, B):
    def orth(M):
        qs = []
        for j in range(M.shape[1]):
            v = M[:, j]
            for q in qs:
                v = v - (q @ M[:, j]) * q
            qs.append(v / v.norm())
        return torch.stack(qs, 1)
    cosines = torch.linalg.svdvals(orth(A).T @ orth(B))
    return torch.arccos(cosines.clamp(0.0, 1.0))
''',
    "Cholesky QR: Q = A R^-1 with R from cholesky(A^T A)": '''
def principal_angles(A, B):
    def orth(M):
        L = torch.linalg.cholesky(M.T @ M)
        return torch.linalg.solve_triangular(L, M.T, upper=False).T
    cosines = torch.linalg.svdvals(orth(A).T @ orth(B))
    return torch.arccos(cosines.clamp(0.0, 1.0))
''',
    "symmetric orthonormalisation A (A^T A)^(-1/2) by eigh": '''
def principal_angles(A, B):
    def orth(M):
        w, V = torch.linalg.eigh(M.T @ M)
        return M @ (V * w.rsqrt()) @ V.T
    cosines = torch.linalg.svdvals(orth(A).T @ orth(B))
    return torch.arccos(cosines.clamp(0.0, 1.0))
''',
})
WRONG["reparameterize"].update({
    "noise of shape (B, d_z) from mu.shape[0], mu.shape[1] (2-D inputs only)": '''
def reparameterize(mu, logvar, eps=None):
    if eps is None:
        eps = torch.randn(mu.shape[0], mu.shape[1], dtype=mu.dtype, device=mu.device)
    return mu + torch.exp(0.5 * logvar) * eps
''',
    "noise from a module-level seeded CPU generator (fails on a GPU)": '''
_noise_gen = torch.Generator().manual_seed(0)

def reparameterize(mu, logvar, eps=None):
    if eps is None:
        eps = torch.randn(mu.shape, generator=_noise_gen, dtype=mu.dtype, device=mu.device)
    return mu + torch.exp(0.5 * logvar) * eps
''',
})
RIGHT["principal_angles"].update({
    "modified Gram-Schmidt by hand (re-projects the running vector)": '''
def principal_angles(A, B):
    def orth(M):
        qs = []
        for j in range(M.shape[1]):
            v = M[:, j]
            for q in qs:
                v = v - (q @ v) * q
            qs.append(v / v.norm())
        return torch.stack(qs, 1)
    cosines = torch.linalg.svdvals(orth(A).T @ orth(B))
    return torch.arccos(cosines.clamp(0.0, 1.0))
''',
})
RIGHT["reparameterize"].update({
    "noise by torch.empty_like(mu).normal_()": '''
def reparameterize(mu, logvar, eps=None):
    if eps is None:
        eps = torch.empty_like(mu).normal_()
    return mu + (0.5 * logvar).exp() * eps
''',
})
RIGHT["gaussian_kl"].update({
    "Kingma and Welling's form: -1/2 sum(1 + logvar - mu^2 - exp(logvar))": '''
def gaussian_kl(mu, logvar):
    return -0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp(), dim=-1)
''',
})
RIGHT["reparameterize"].update({
    "noise by torch.normal(zeros_like(mu), ones_like(mu)) (a standard normal; the gradient goes through mu and sigma)": '''
def reparameterize(mu, logvar, eps=None):
    if eps is None:
        eps = torch.normal(torch.zeros_like(mu), torch.ones_like(mu))
    return torch.addcmul(mu, torch.exp(logvar / 2), eps)
''',
})

# red team rt7/f 2026-12-04
WRONG["reparameterize"].update({
    "antithetic noise: the second half of the batch gets minus the first half's noise": '''
def reparameterize(mu, logvar, eps=None):
    if eps is None:
        n = mu.shape[0]
        half = torch.randn_like(mu[:(n + 1) // 2])
        eps = torch.cat([half, -half])[:n]
    return mu + torch.exp(0.5 * logvar) * eps
''',
    "noise standardised over the whole tensor (exactly mean 0, std 1)": '''
def reparameterize(mu, logvar, eps=None):
    if eps is None:
        eps = torch.randn_like(mu)
        eps = (eps - eps.mean()) / eps.std()
    return mu + torch.exp(0.5 * logvar) * eps
''',
})
WRONG["gaussian_kl"].update({
    "free bits: each dimension's KL at least 0.1 nats": '''
def gaussian_kl(mu, logvar):
    per_dim = 0.5 * (mu.pow(2) + logvar.exp() - 1.0 - logvar)
    return per_dim.clamp(min=0.1).sum(-1)
''',
    "logvar clamped at 50 before exp (an overflow guard)": '''
def gaussian_kl(mu, logvar):
    return 0.5 * (mu.pow(2) + logvar.clamp(max=50.0).exp() - 1.0 - logvar).sum(-1)
''',
    "summed over every dimension but the first (flatten(1))": '''
def gaussian_kl(mu, logvar):
    return 0.5 * (mu.pow(2) + logvar.exp() - 1.0 - logvar).flatten(1).sum(1)
''',
})
WRONG["vae_loss"].update({
    "logvar clamped to [-10, 10] in the loss (for stability)": '''
def vae_loss(x_logits, x, mu, logvar, beta=1.0):
    recon = F.binary_cross_entropy_with_logits(x_logits, x, reduction="none").flatten(1).sum(1)
    return (recon + beta * gaussian_kl(mu, logvar.clamp(-10.0, 10.0))).mean()
''',
    "the KL term averaged over the latent dimensions (divided by d_z)": '''
def vae_loss(x_logits, x, mu, logvar, beta=1.0):
    recon = F.binary_cross_entropy_with_logits(x_logits, x, reduction="none").flatten(1).sum(1)
    return (recon + beta * gaussian_kl(mu, logvar) / mu.shape[-1]).mean()
''',
})
WRONG["principal_angles"].update({
    "both bases cut to min(k_A, k_B) columns before the SVD": '''
def principal_angles(A, B):
    k = min(A.shape[1], B.shape[1])
    Q_A = torch.linalg.qr(A)[0][:, :k]
    Q_B = torch.linalg.qr(B)[0][:, :k]
    return torch.arccos(torch.linalg.svdvals(Q_A.T @ Q_B).clamp(0.0, 1.0))
''',
})
RIGHT["principal_angles"].update({
    "sines of the residual (I - Q_A Q_A^T) Q_B, the smallest min(k_A, k_B), arcsin": '''
def principal_angles(A, B):
    if A.shape[1] < B.shape[1]:
        A, B = B, A
    Q_A, Q_B = torch.linalg.qr(A)[0], torch.linalg.qr(B)[0]
    R = Q_B - Q_A @ (Q_A.T @ Q_B)
    sines = torch.linalg.svdvals(R).flip(0)
    return torch.arcsin(sines.clamp(0.0, 1.0))
''',
})
RIGHT["vae_loss"].update({
    "nn.BCEWithLogitsLoss(reduction='sum') and the KL summed, both divided by B": '''
def vae_loss(x_logits, x, mu, logvar, beta=1.0):
    B = x.shape[0]
    recon = nn.BCEWithLogitsLoss(reduction="sum")(x_logits, x)
    return (recon + beta * gaussian_kl(mu, logvar).sum()) / B
''',
})
RIGHT["reparameterize"].update({
    "noise by torch.randn_like of sigma (same shape, dtype, device as mu)": '''
def reparameterize(mu, logvar, eps=None):
    sigma = torch.exp(logvar * 0.5)
    return mu + sigma * (torch.randn_like(sigma) if eps is None else eps)
''',
})

# ---- red-team pass 9 (rt9/h) ----
WRONG.setdefault("principal_angles", {}).update({
    "squared cosines from eigvalsh of the smaller Gram matrix, square root without a clamp at 0": '''
def principal_angles(A, B):
    Q_A, _ = torch.linalg.qr(A)
    Q_B, _ = torch.linalg.qr(B)
    M = Q_A.T @ Q_B
    G = M @ M.T if M.shape[0] <= M.shape[1] else M.T @ M
    cos2 = torch.linalg.eigvalsh(G).flip(0)
    return torch.arccos(cos2.sqrt().clamp(max=1.0))
''',
})
WRONG.setdefault("gaussian_kl", {}).update({
    "the 1 subtracted d_z times with d_z read from mu.shape[1]": '''
def gaussian_kl(mu, logvar):
    return 0.5 * ((mu.pow(2) + logvar.exp() - logvar).sum(dim=-1) - mu.shape[1])
''',
    "KL through nan_to_num (an overflowing KL becomes the largest float)": '''
def gaussian_kl(mu, logvar):
    return torch.nan_to_num(0.5 * (mu.pow(2) + logvar.exp() - 1.0 - logvar).sum(dim=-1))
''',
    "summed with dtype=torch.float64: float32 inputs give a float64 KL": '''
def gaussian_kl(mu, logvar):
    return 0.5 * (mu.pow(2) + logvar.exp() - 1.0 - logvar).sum(dim=-1, dtype=torch.float64)
''',
})
RIGHT.setdefault("answer_3_3", {}).update({
    "rounded to 4 decimals (the text: 3 decimals are enough)": '''
def answer_3_3():
    return round(2.0 - math.log(2.0), 4)
''',
})
RIGHT.setdefault("principal_angles", {}).update({
    "no clamp, nan from arccos of a cosine above 1 replaced by 0 (nan_to_num)": '''
def principal_angles(A, B):
    Q_A = torch.linalg.qr(A).Q
    Q_B = torch.linalg.qr(B).Q
    return torch.nan_to_num(torch.arccos(torch.linalg.svdvals(Q_A.T @ Q_B)), nan=0.0)
''',
})

# ---- red-team pass 10 (h) ----
WRONG.setdefault("vae_loss", {}).update({
    "the stable formula with clamp(min=0): gradient -x, not 1/2 - x, at a logit of exactly 0": '''
def vae_loss(x_logits, x, mu, logvar, beta=1.0):
    per_pixel = x_logits.clamp(min=0) - x_logits * x + torch.log1p(torch.exp(-x_logits.abs()))
    return (per_pixel.flatten(1).sum(1) + beta * gaussian_kl(mu, logvar)).mean()
''',
    "piecewise softplus with torch.where: nan gradient at large logits": '''
def vae_loss(x_logits, x, mu, logvar, beta=1.0):
    o = x_logits
    softplus = torch.where(o > 0, o + torch.log1p(torch.exp(-o)), torch.log1p(torch.exp(o)))
    per_pixel = softplus - o * x
    return (per_pixel.flatten(1).sum(1) + beta * gaussian_kl(mu, logvar)).mean()
''',
})
WRONG.setdefault("principal_angles", {}).update({
    "arccos of the diagonal of Q_A^T Q_B (no SVD)": '''
def principal_angles(A, B):
    Q_A, _ = torch.linalg.qr(A)
    Q_B, _ = torch.linalg.qr(B)
    m = min(A.shape[1], B.shape[1])
    cosines = (Q_A.T @ Q_B)[:m, :m].diagonal().abs()
    return torch.arccos(cosines.clamp(0.0, 1.0)).sort().values
''',
})
WRONG.setdefault("gaussian_kl", {}).update({
    "logvar read as log sigma (the log standard deviation)": '''
def gaussian_kl(mu, logvar):
    return 0.5 * (mu.pow(2) + torch.exp(2 * logvar) - 1.0 - 2 * logvar).sum(-1)
''',
})
WRONG.setdefault("answer_3_3", {}).update({
    "the reverse KL(p || q)": '''
def answer_3_3():
    return 0.5 * (1 + 1 - 1 + 0) + 0.5 * (0.25 - 1 + math.log(4.0))
''',
})
RIGHT.setdefault("vae_loss", {}).update({
    "softplus as logaddexp(0, o), minus o x": '''
def vae_loss(x_logits, x, mu, logvar, beta=1.0):
    per_pixel = torch.logaddexp(torch.zeros_like(x_logits), x_logits) - x_logits * x
    return (per_pixel.reshape(len(x_logits), -1).sum(-1) + beta * gaussian_kl(mu, logvar)).mean()
''',
})

# moved from RIGHT (pass 10): relu(o) + log1p(exp(-|o|)) takes the slope 0 of relu's kink at a logit of exactly 0, where
# the BCE's slope is sigma(0) - x = 1/2 - x (a zero-initialised decoder gets the wrong gradient on every pixel)
WRONG["vae_loss"]['the stable formula with relu and log1p(exp(-|o|)), summed over all but the batch dimension' + " (was RIGHT: gradient -x, not 1/2 - x, at a logit of 0)"] = RIGHT["vae_loss"].pop('the stable formula with relu and log1p(exp(-|o|)), summed over all but the batch dimension')

# red team 11, 2026-12-04
WRONG["principal_angles"].update({
    "columns centred before the QR (a PCA habit)": '''
def principal_angles(A, B):
    Q_A, _ = torch.linalg.qr(A - A.mean(0, keepdim=True))
    Q_B, _ = torch.linalg.qr(B - B.mean(0, keepdim=True))
    return torch.arccos(torch.linalg.svdvals(Q_A.T @ Q_B).clamp(0.0, 1.0))
''',
})
WRONG["reparameterize"].update({
    "noise drawn on every call, also when eps is given (the global RNG moves)": '''
def reparameterize(mu, logvar, eps=None):
    noise = torch.randn_like(mu)
    if eps is None:
        eps = noise
    return mu + torch.exp(0.5 * logvar) * eps
''',
    "std from logvar.clamp(max=88) (float32's exp limit, applied to float64 too)": '''
def reparameterize(mu, logvar, eps=None):
    if eps is None:
        eps = torch.randn_like(mu)
    return mu + torch.exp(0.5 * logvar.clamp(max=88.0)) * eps
''',
})
WRONG["gaussian_kl"].update({
    "variance floored at 1e-6 (exp(logvar).clamp(min=1e-6))": '''
def gaussian_kl(mu, logvar):
    return 0.5 * (mu.pow(2) + logvar.exp().clamp(min=1e-6) - 1.0 - logvar).sum(-1)
''',
    "log sigma^2 as 2 log(std), std = exp(logvar / 2) (std underflows)": '''
def gaussian_kl(mu, logvar):
    std = torch.exp(0.5 * logvar)
    return 0.5 * (mu.pow(2) + std.pow(2) - 1.0 - 2.0 * std.log()).sum(-1)
''',
})
WRONG["vae_loss"].update({
    "images binarised with torch.bernoulli(x) (stochastic binarisation)": '''
def vae_loss(x_logits, x, mu, logvar, beta=1.0):
    xb = torch.bernoulli(x)
    recon = F.binary_cross_entropy_with_logits(x_logits, xb, reduction="none").flatten(1).sum(1)
    return (recon + beta * gaussian_kl(mu, logvar)).mean()
''',
    "sigmoid applied to the logits before binary_cross_entropy_with_logits (two sigmoids)": '''
def vae_loss(x_logits, x, mu, logvar, beta=1.0):
    recon = F.binary_cross_entropy_with_logits(torch.sigmoid(x_logits), x, reduction="none").flatten(1).sum(1)
    return (recon + beta * gaussian_kl(mu, logvar)).mean()
''',
    "KL of the batch-mean code (gaussian_kl(mu.mean(0), logvar.mean(0)))": '''
def vae_loss(x_logits, x, mu, logvar, beta=1.0):
    recon = F.binary_cross_entropy_with_logits(x_logits, x, reduction="none").flatten(1).sum(1)
    return recon.mean() + beta * gaussian_kl(mu.mean(0), logvar.mean(0))
''',
})
RIGHT["reparameterize"].update({
    "noise by torch.normal(0, 1, size=mu.shape) with mu's dtype and device, drawn only when eps is None": '''
def reparameterize(mu, logvar, eps=None):
    if eps is None:
        eps = torch.normal(0.0, 1.0, size=mu.shape, dtype=mu.dtype, device=mu.device)
    return torch.exp(logvar / 2) * eps + mu
''',
})
RIGHT["gaussian_kl"].update({
    "the squared means and the variance terms summed separately": '''
def gaussian_kl(mu, logvar):
    return 0.5 * (mu.square().sum(-1) + (logvar.exp() - logvar - 1.0).sum(-1))
''',
})
RIGHT["principal_angles"].update({
    "QR in 'reduced' mode named explicitly, cosines from svd(...).S clamped with torch.clamp": '''
def principal_angles(A, B):
    Q_A = torch.linalg.qr(A, mode="reduced").Q
    Q_B = torch.linalg.qr(B, mode="reduced").Q
    S = torch.linalg.svd(Q_A.mT @ Q_B, full_matrices=False).S
    return torch.acos(torch.clamp(S, min=0.0, max=1.0))
''',
})
# (written after the fixes above; measured against the tests as they then stood)
WRONG["vae_loss"].update({
    "free bits in the loss: each image's KL floored at 0.5 nats": '''
def vae_loss(x_logits, x, mu, logvar, beta=1.0):
    recon = F.binary_cross_entropy_with_logits(x_logits, x, reduction="none").flatten(1).sum(1)
    kl = gaussian_kl(mu, logvar).clamp(min=0.5)
    return (recon + beta * kl).mean()
''',
})

# red team 13, 2026-12-05
WRONG["principal_angles"].update({
    "QR skipped when the columns already look orthonormal (torch.allclose(A^T A, I, atol=1e-4))": '''
def principal_angles(A, B):
    def basis(M):
        eye = torch.eye(M.shape[1], dtype=M.dtype, device=M.device)
        if torch.allclose(M.T @ M, eye, atol=1e-4):
            return M                                   # already orthonormal: save the QR
        return torch.linalg.qr(M)[0]
    cosines = torch.linalg.svdvals(basis(A).T @ basis(B))
    return torch.arccos(cosines.clamp(0.0, 1.0))
''',
})
WRONG["reparameterize"].update({
    "logvar clamped to [-30, 20] (Stable Diffusion's DiagonalGaussianDistribution)": '''
def reparameterize(mu, logvar, eps=None):
    if eps is None:
        eps = torch.randn_like(mu)
    return mu + torch.exp(0.5 * logvar.clamp(-30.0, 20.0)) * eps
''',
})
WRONG["gaussian_kl"].update({
    "logvar clamped to [-30, 20] (Stable Diffusion's range)": '''
def gaussian_kl(mu, logvar):
    logvar = logvar.clamp(-30.0, 20.0)
    return 0.5 * (mu.pow(2) + logvar.exp() - 1.0 - logvar).sum(dim=-1)
''',
})
WRONG["vae_loss"].update({
    "logits clamped to [-88, 88] before the BCE (an overflow guard)": '''
def vae_loss(x_logits, x, mu, logvar, beta=1.0):
    recon = F.binary_cross_entropy_with_logits(x_logits.clamp(-88.0, 88.0), x, reduction="none").flatten(1).sum(1)
    return (recon + beta * gaussian_kl(mu, logvar)).mean()
''',
    "reconstruction as the pixel mean times D = 256 (the notebook's image size hard-coded)": '''
def vae_loss(x_logits, x, mu, logvar, beta=1.0):
    recon = F.binary_cross_entropy_with_logits(x_logits, x, reduction="none").flatten(1).mean(1) * 256
    return (recon + beta * gaussian_kl(mu, logvar)).mean()
''',
})
WRONG["answer_3_3"].update({
    "sigma^2 = 4 read as the standard deviation (a variance of 16)": '''
def answer_3_3():
    return 0.5 * (1 + 1 - 1 - 0) + 0.5 * (0 + 16 - 1 - math.log(16.0))
''',
})
RIGHT["principal_angles"].update({
    "orthonormal bases from the thin SVDs of A and B (their U factors)": '''
def principal_angles(A, B):
    U_A = torch.linalg.svd(A, full_matrices=False).U
    U_B = torch.linalg.svd(B, full_matrices=False).U
    return torch.linalg.svdvals(U_A.mT @ U_B).clamp(0.0, 1.0).arccos()
''',
})
RIGHT["vae_loss"].update({
    "BCE by hand with F.logsigmoid on both sides, summed per image with sum(dim=1) after reshape": '''
def vae_loss(x_logits, x, mu, logvar, beta=1.0):
    bce = -(x * F.logsigmoid(x_logits) + (1 - x) * F.logsigmoid(-x_logits))
    recon = bce.reshape(len(x), -1).sum(dim=1)
    return torch.mean(recon + beta * gaussian_kl(mu, logvar))
''',
})
RIGHT["answer_3_3"].update({
    "computed with gaussian_kl in float32, returned with .item()": '''
def answer_3_3():
    return gaussian_kl(torch.tensor([[1.0, 0.0]]), torch.tensor([[0.0, math.log(4.0)]])).item()
''',
})
RIGHT["vae_loss"].update({
    "pixel mean per image times the pixels per image (x[0].numel())": '''
def vae_loss(x_logits, x, mu, logvar, beta=1.0):
    recon = F.binary_cross_entropy_with_logits(x_logits, x, reduction="none").flatten(1).mean(1) * x[0].numel()
    return (recon + beta * gaussian_kl(mu, logvar)).mean()
''',
})
# red team 13, 2026-12-05, second batch (written after the fixes above; measured against the tests as they then stood)
WRONG["vae_loss"].update({
    "KL skipped when beta = 0, replaced by torch.zeros(len(x)) (made on the CPU: fails on a GPU)": '''
def vae_loss(x_logits, x, mu, logvar, beta=1.0):
    recon = F.binary_cross_entropy_with_logits(x_logits, x, reduction="none").flatten(1).sum(1)
    kl = gaussian_kl(mu, logvar) if beta != 0 else torch.zeros(len(x), dtype=x.dtype)   # no KL to compute
    return (recon + beta * kl).mean()
''',
})

# ---- red team 15 (reviewer H, 2026-12-05) ----
WRONG["principal_angles"].update({
    # red team 15: the half-angle formula 2 arcsin(sqrt((1 - c) / 2)) with no clamp: a cosine of 1.0000000000000002 gives sqrt(-1e-16) = nan
    "half-angle formula 2 arcsin(sqrt((1 - c) / 2)), no clamp": '''
def principal_angles(A, B):
    Q_A, _ = torch.linalg.qr(A)
    Q_B, _ = torch.linalg.qr(B)
    c = torch.linalg.svdvals(Q_A.T @ Q_B)
    return 2 * torch.arcsin(torch.sqrt((1 - c) / 2))
''',
})
WRONG["reparameterize"].update({
    # red team 15: eps=None drawn inside torch.random.fork_rng(): the global generator is put back, so every call draws the same noise
    "eps=None: noise drawn inside torch.random.fork_rng() (the global generator put back)": '''
def reparameterize(mu, logvar, eps=None):
    if eps is None:
        with torch.random.fork_rng(devices=[]):
            eps = torch.randn_like(mu)
    return mu + torch.exp(0.5 * logvar) * eps
''',
})
WRONG["gaussian_kl"].update({
    # red team 15: log sigma^2 as log(exp(logvar).clamp_min(1e-300)), a log(0) guard: wrong once exp(logvar) underflows (-inf in float32)
    "log sigma^2 as log(exp(logvar).clamp_min(1e-300)) (a log(0) guard)": '''
def gaussian_kl(mu, logvar):
    var = logvar.exp()
    return 0.5 * (mu.pow(2) + var - 1.0 - torch.log(var.clamp_min(1e-300))).sum(dim=-1)
''',
    # red team 15: inputs made 2-D with torch.atleast_2d: one example [d_z] gives a KL of shape [1], not a 0-dim one ([...] of the text)
    "inputs made 2-D with torch.atleast_2d (one example [d_z] gives [1], not [])": '''
def gaussian_kl(mu, logvar):
    mu, logvar = torch.atleast_2d(mu), torch.atleast_2d(logvar)
    return 0.5 * (mu.pow(2) + logvar.exp() - 1.0 - logvar).sum(dim=-1)
''',
})
WRONG["vae_loss"].update({
    # red team 15: the pixels summed over dim=(-3, -2, -1): images [B, C, H, W] only (the text: any shape after the batch)
    "pixels summed over dim=(-3, -2, -1): 4-D images only": '''
def vae_loss(x_logits, x, mu, logvar, beta=1.0):
    recon = F.binary_cross_entropy_with_logits(x_logits, x, reduction="none").sum(dim=(-3, -2, -1))
    return (recon + beta * gaussian_kl(mu, logvar)).mean()
''',
})

# ---- red team 17 (reviewer G, 2026-12-05) ----
WRONG["gaussian_kl"].update({
    # red team 17: the leading dimensions merged with .view: a non-contiguous mu (a permuted [T, B, d_z] batch) fails
    "leading dimensions merged with .view(-1, d_z), reshaped back (fails on non-contiguous inputs)": '''
def gaussian_kl(mu, logvar):
    d = mu.shape[-1]
    m, lv = mu.view(-1, d), logvar.view(-1, d)
    kl = 0.5 * (m.pow(2) + lv.exp() - 1.0 - lv).sum(dim=1)
    return kl.view(mu.shape[:-1])
''',
    # red team 17: the text promises the inputs' dtype: bfloat16 codes (an autocast encoder) must give a bfloat16 KL
    "half-precision inputs upcast to float32 (bfloat16 codes give a float32 KL)": '''
def gaussian_kl(mu, logvar):
    if mu.dtype in (torch.float16, torch.bfloat16):
        mu, logvar = mu.float(), logvar.float()
    return 0.5 * (mu.pow(2) + logvar.exp() - 1.0 - logvar).sum(dim=-1)
''',
})
WRONG["reparameterize"].update({
    # red team 17: Normal(mu, std).rsample() validates std > 0: a std that underflows to 0 (logvar = -2000) raises
    # instead of returning z = mu
    "eps=None: torch.distributions.Normal(mu, std).rsample() (raises once std underflows to 0)": '''
def reparameterize(mu, logvar, eps=None):
    std = torch.exp(0.5 * logvar)
    if eps is None:
        return torch.distributions.Normal(mu, std).rsample()
    return mu + std * eps
''',
    # red team 17: z = mu + sigma * eps whatever autograd's mode: under the caller's torch.no_grad() (the notebook's
    # evaluate) the given eps must still be used
    "the mean returned under torch.no_grad() (evaluation uses the mean)": '''
def reparameterize(mu, logvar, eps=None):
    if not torch.is_grad_enabled():
        return mu
    if eps is None:
        eps = torch.randn_like(mu)
    return mu + torch.exp(0.5 * logvar) * eps
''',
    # red team 17: the docstring promises mu's dtype: bfloat16 mu with noise drawn in float32 gives a float32 z
    "noise drawn in at least float32 (a bfloat16 mu gives a float32 z)": '''
def reparameterize(mu, logvar, eps=None):
    if eps is None:
        eps = torch.randn(mu.shape, dtype=torch.promote_types(mu.dtype, torch.float32), device=mu.device)
    return mu + torch.exp(0.5 * logvar) * eps
''',
})

# ---- red team 18 (reviewer G) ----
WRONG["reparameterize"].update({
    # red team 18: the text says to draw eps with torch.randn_like(mu): numpy's generator is not torch's, so a torch seed
    # (the notebook's SEED, a test's manual_seed) does not reproduce the noise, and on a GPU every step copies it over
    "eps=None: noise from numpy's global generator, converted with .to(mu)": '''
import numpy as np
def reparameterize(mu, logvar, eps=None):
    if eps is None:
        eps = torch.from_numpy(np.random.standard_normal(tuple(mu.shape))).to(mu)
    return mu + torch.exp(0.5 * logvar) * eps
''',
    # red team 18: torch.seed() reseeds torch's global generator from the clock: every later draw of the notebook
    # (initialisations, dropout, shuffles) stops being reproducible from SEED
    "eps=None: torch.seed() first ('fresh noise on every call'), then randn_like": '''
def reparameterize(mu, logvar, eps=None):
    if eps is None:
        torch.seed()
        eps = torch.randn_like(mu)
    return mu + torch.exp(0.5 * logvar) * eps
''',
})
WRONG["vae_loss"].update({
    # red team 18: the KL of the logvar given; a clamp at float32's exp limit (88) changes a float64 KL beyond it
    "logvar clamped at 88 before gaussian_kl (float32's exp limit, applied to float64 too)": '''
def vae_loss(x_logits, x, mu, logvar, beta=1.0):
    recon = F.binary_cross_entropy_with_logits(x_logits, x, reduction="none").flatten(1).sum(1)
    return (recon + beta * gaussian_kl(mu, logvar.clamp(max=88.0))).mean()
''',
    # red team 18: minus the ELBO has no floor on the KL; free bits per latent dimension (Kingma et al. 2016) is another loss
    "free bits: each latent dimension's KL floored at 0.01 nats": '''
def vae_loss(x_logits, x, mu, logvar, beta=1.0):
    recon = F.binary_cross_entropy_with_logits(x_logits, x, reduction="none").flatten(1).sum(1)
    kl = (0.5 * (mu.pow(2) + logvar.exp() - 1.0 - logvar)).clamp(min=0.01).sum(-1)
    return (recon + beta * kl).mean()
''',
})
WRONG["gaussian_kl"].update({
    # red team 18: a variance beyond the dtype's range makes the KL +inf; clamping logvar at log(finfo.max) hides it
    "logvar clamped at log(finfo.max) before exp (a dtype-aware overflow guard)": '''
import math
def gaussian_kl(mu, logvar):
    var = logvar.clamp(max=math.log(torch.finfo(logvar.dtype).max)).exp()
    return 0.5 * (mu.pow(2) + var - 1.0 - logvar).sum(dim=-1)
''',
})
WRONG["principal_angles"].update({
    # red team 19: an orthonormal basis as scipy.linalg.orth makes it, from the SVD, but with a loose relative cut
    # (1e-8) that drops the directions of small singular values: a basis whose columns differ in scale by 1e9 is still
    # linearly independent (the text's promise), and losing a direction changes the number of angles
    "orthonormal bases by SVD with directions below 1e-8 of the largest singular value dropped (orth with rcond)": '''
def principal_angles(A, B):
    def orth(M):
        U, S, _ = torch.linalg.svd(M, full_matrices=False)
        return U[:, S > 1e-8 * S[0]]
    cosines = torch.linalg.svdvals(orth(A).T @ orth(B))
    return torch.arccos(cosines.clamp(0.0, 1.0))
''',
    # red team 19: a "rank-revealing" QR: the columns whose diagonal entry of R is below 1e-8 of the largest are taken
    # for dependent ones and dropped; the columns are linearly independent (the text), however different their scales
    "QR with the columns of |R_ii| below 1e-8 of the largest dropped (taken for dependent)": '''
def principal_angles(A, B):
    def basis(M):
        Q, R = torch.linalg.qr(M)
        d = R.diagonal().abs()
        return Q[:, d > 1e-8 * d.max()]
    cosines = torch.linalg.svdvals(basis(A).T @ basis(B))
    return torch.arccos(cosines.clamp(0.0, 1.0))
''',
})
WRONG["reparameterize"].update({
    # red team 19: noise truncated at +-4 "for stability" (a wider margin than +-3): no longer a standard normal, whose
    # tails beyond 4 hold 6 in 100000 draws (the text: torch.randn_like(mu))
    "eps=None: noise clamped to [-4, 4] (a wider safety margin)": '''
def reparameterize(mu, logvar, eps=None):
    if eps is None:
        eps = torch.randn_like(mu).clamp(-4.0, 4.0)
    return mu + torch.exp(0.5 * logvar) * eps
''',
})
WRONG["gaussian_kl"].update({
    # red team 19: log sigma^2 as log(exp(logvar)), guarded by torch.where where it is -inf (exp underflows) or inf: between
    # the underflow and the smallest normal float (logvar in (-103, -87) in float32, (-744, -708) in float64) exp(logvar)
    # is a subnormal number with few significant bits, and its log is off by up to a few hundredths (the text: log
    # sigma^2 is logvar itself)
    "log sigma^2 as log(exp(logvar)), replaced by logvar where it is not finite (a guard against log(0) and log(inf))": '''
def gaussian_kl(mu, logvar):
    var = logvar.exp()
    log_var = torch.log(var)
    log_var = torch.where(torch.isfinite(log_var), log_var, logvar)
    return 0.5 * (mu.pow(2) + var - 1.0 - log_var).sum(dim=-1)
''',
})
WRONG["reparameterize"].update({
    # red team 20: sigma = exp(logvar / 2) kept for the logvar tensor object (evaluate() draws n_draws codes from one
    # (mu, logvar)): a caller that refills its logvar in place gets z with the old standard deviation
    "sigma kept for the logvar tensor object (evaluate() draws several codes from one logvar)": '''
_sigma = {"logvar": None, "std": None}

def reparameterize(mu, logvar, eps=None):
    if _sigma["logvar"] is not logvar:
        _sigma["logvar"], _sigma["std"] = logvar, torch.exp(0.5 * logvar)
    if eps is None:
        eps = torch.randn_like(mu)
    return mu + _sigma["std"] * eps
''',
})
WRONG["gaussian_kl"].update({
    # red team 20: the KL kept for the (mu, logvar) tensor objects (evaluate() computes it n_draws + 1 times for one
    # batch): stale after the caller refills mu or logvar in place
    "KL kept for the (mu, logvar) tensor objects (evaluate() asks n_draws + 1 times for one batch)": '''
_kl = {"mu": None, "logvar": None, "kl": None}

def gaussian_kl(mu, logvar):
    if _kl["mu"] is not mu or _kl["logvar"] is not logvar:
        _kl.update(mu=mu, logvar=logvar, kl=0.5 * (mu.pow(2) + logvar.exp() - 1.0 - logvar).sum(dim=-1))
    return _kl["kl"]
''',
})
WRONG["principal_angles"].update({
    # red team 20: the orthonormal basis of B kept for the B tensor object (the notebook measures three subspaces
    # against one PCA basis): a caller that refills B in place gets the angles to the old subspace
    "orthonormal basis of B kept for the B tensor object (three subspaces against one PCA basis)": '''
_basis = {"B": None, "Q": None}

def principal_angles(A, B):
    if _basis["B"] is not B:
        _basis["B"], _basis["Q"] = B, torch.linalg.qr(B)[0]
    Q_A, _ = torch.linalg.qr(A)
    cosines = torch.linalg.svdvals(Q_A.T @ _basis["Q"])
    return torch.arccos(cosines.clamp(0.0, 1.0))
''',
})
WRONG["vae_loss"].update({
    # red team 20: beta made keyword-only (the notebook always passes beta=...): the text's signature
    # vae_loss(x_logits, x, mu, logvar, beta=1.0) takes beta by position too, and vae_loss(o, x, mu, logvar, 4.0) raises
    "beta keyword-only, vae_loss(x_logits, x, mu, logvar, *, beta=1.0) (a positional beta raises)": '''
def vae_loss(x_logits, x, mu, logvar, *, beta=1.0):
    recon = F.binary_cross_entropy_with_logits(x_logits, x, reduction="none").flatten(1).sum(1)
    return (recon + beta * gaussian_kl(mu, logvar)).mean()
''',
})
WRONG["vae_loss"].update({
    # red team 20: beta made a tensor on the inputs' device (to accept a scheduled beta too), torch.tensor(beta) in the
    # default float32: a float64 loss with beta = 0.1 or 1/3 weighs the KL by a rounded beta (off by about 1e-8)
    "beta as torch.tensor(beta, device=mu.device) (float32: beta = 0.1 rounded in a float64 loss)": '''
def vae_loss(x_logits, x, mu, logvar, beta=1.0):
    beta = torch.tensor(beta, device=mu.device)
    recon = F.binary_cross_entropy_with_logits(x_logits, x, reduction="none").flatten(1).sum(1)
    return (recon + beta * gaussian_kl(mu, logvar)).mean()
''',
})
