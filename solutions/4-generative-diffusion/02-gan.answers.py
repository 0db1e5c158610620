"""Answer variants for 02-gan.ipynb, run by `autograder check` against the graded tests.

WRONG: plausible wrong answers; each must fail at least one graded test of its exercise.
RIGHT: different but valid answers; each must pass every graded test of its exercise.
WARNED: the wrong answers that fall into a trap the exercise text warns about (the visible tests alone catch them).
EQUIVALENT: surviving mutants (`autograder mutate`) reviewed as equivalent to the solution on every
valid input, with the reason.
Keys are the grade_id of the exercise's solution cell; values map a short name to the cell source.
"""

WRONG = {
    "discriminator_loss": {
        "log of a sigmoid (-inf at large logits)": '''
def discriminator_loss(real_logits, fake_logits):
    return -(torch.log(torch.sigmoid(real_logits)).mean() + torch.log(1 - torch.sigmoid(fake_logits)).mean())
''',
        "log of a clamped sigmoid (finite, but wrong for confident logits)": '''
def discriminator_loss(real_logits, fake_logits):
    p_real = torch.sigmoid(real_logits).clamp(1e-7, 1 - 1e-7)
    p_fake = torch.sigmoid(fake_logits).clamp(1e-7, 1 - 1e-7)
    return -(torch.log(p_real).mean() + torch.log(1 - p_fake).mean())
''',
        "one mean over both batches": '''
def discriminator_loss(real_logits, fake_logits):
    return torch.cat([F.softplus(-real_logits).flatten(), F.softplus(fake_logits).flatten()]).mean()
''',
        "labels swapped (real as 0, fake as 1)": '''
def discriminator_loss(real_logits, fake_logits):
    return F.softplus(real_logits).mean() + F.softplus(-fake_logits).mean()
''',
        "the value function, not minus it": '''
def discriminator_loss(real_logits, fake_logits):
    return F.logsigmoid(real_logits).mean() + F.logsigmoid(-fake_logits).mean()
''',
        "half the sum (mean of the two terms)": '''
def discriminator_loss(real_logits, fake_logits):
    return 0.5 * (F.softplus(-real_logits).mean() + F.softplus(fake_logits).mean())
''',
        "sums instead of means": '''
def discriminator_loss(real_logits, fake_logits):
    return F.softplus(-real_logits).sum() + F.softplus(fake_logits).sum()
''',
        "result cast to float32": '''
def discriminator_loss(real_logits, fake_logits):
    return (F.softplus(-real_logits).mean() + F.softplus(fake_logits).mean()).float()
''',
        "F.binary_cross_entropy_with_logits (off limits)": '''
def discriminator_loss(real_logits, fake_logits):
    return (F.binary_cross_entropy_with_logits(real_logits, torch.ones_like(real_logits))
            + F.binary_cross_entropy_with_logits(fake_logits, torch.zeros_like(fake_logits)))
''',
        "nn.BCEWithLogitsLoss (off limits)": '''
def discriminator_loss(real_logits, fake_logits):
    bce = nn.BCEWithLogitsLoss()
    return bce(real_logits, torch.ones_like(real_logits)) + bce(fake_logits, torch.zeros_like(fake_logits))
''',
        # red team 2026-12-03
        "softplus as log1p(exp(u)) (overflows at large logits)": '''
def discriminator_loss(real_logits, fake_logits):
    return torch.log1p(torch.exp(-real_logits)).mean() + torch.log1p(torch.exp(fake_logits)).mean()
''',
        "fake logits detached inside the loss (no gradient to them)": '''
def discriminator_loss(real_logits, fake_logits):
    return F.softplus(-real_logits).mean() + F.softplus(fake_logits.detach()).mean()
''',
        "torch.where threshold (right values, nan gradient at extreme logits)": '''
def _softplus(u):
    return torch.where(u > 20, u, torch.log1p(torch.exp(u)))


def discriminator_loss(real_logits, fake_logits):
    return _softplus(-real_logits).mean() + _softplus(fake_logits).mean()
''',
        "sum / len: a per-image sum for [B, k] logits": '''
def discriminator_loss(real_logits, fake_logits):
    return F.softplus(-real_logits).sum() / len(real_logits) + F.softplus(fake_logits).sum() / len(fake_logits)
''',
        "computed in float32, cast back to the input's dtype": '''
def discriminator_loss(real_logits, fake_logits):
    loss = F.softplus(-real_logits.float()).mean() + F.softplus(fake_logits.float()).mean()
    return loss.to(real_logits.dtype)
''',
        "real logits negated in place": '''
def discriminator_loss(real_logits, fake_logits):
    real_logits.neg_()
    return F.softplus(real_logits).mean() + F.softplus(fake_logits).mean()
''',
    },
    "generator_loss": {
        "log of a sigmoid (-inf at large logits)": '''
def generator_loss(fake_logits, non_saturating=True):
    if non_saturating:
        return -torch.log(torch.sigmoid(fake_logits)).mean()
    return torch.log(1 - torch.sigmoid(fake_logits)).mean()
''',
        "the flag ignored: always non-saturating": '''
def generator_loss(fake_logits, non_saturating=True):
    return F.softplus(-fake_logits).mean()
''',
        "the flag inverted": '''
def generator_loss(fake_logits, non_saturating=True):
    if not non_saturating:
        return F.softplus(-fake_logits).mean()
    return -F.softplus(fake_logits).mean()
''',
        "saturating with the sign of D's loss: -mean log(1 - sigma)": '''
def generator_loss(fake_logits, non_saturating=True):
    if non_saturating:
        return F.softplus(-fake_logits).mean()
    return F.softplus(fake_logits).mean()
''',
        "non-saturating as D's fake term (label 0)": '''
def generator_loss(fake_logits, non_saturating=True):
    if non_saturating:
        return F.softplus(fake_logits).mean()
    return -F.softplus(fake_logits).mean()
''',
        "a Python float (.item(): no gradient)": '''
def generator_loss(fake_logits, non_saturating=True):
    if non_saturating:
        return F.softplus(-fake_logits).mean().item()
    return -F.softplus(fake_logits).mean().item()
''',
        "sums instead of means": '''
def generator_loss(fake_logits, non_saturating=True):
    if non_saturating:
        return F.softplus(-fake_logits).sum()
    return -F.softplus(fake_logits).sum()
''',
        "F.binary_cross_entropy_with_logits (off limits)": '''
def generator_loss(fake_logits, non_saturating=True):
    if non_saturating:
        return F.binary_cross_entropy_with_logits(fake_logits, torch.ones_like(fake_logits))
    return -F.binary_cross_entropy_with_logits(fake_logits, torch.zeros_like(fake_logits))
''',
        # red team 2026-12-03
        "saturating as log1p(-sigmoid(o)) (-inf at large logits)": '''
def generator_loss(fake_logits, non_saturating=True):
    if non_saturating:
        return F.softplus(-fake_logits).mean()
    return torch.log1p(-torch.sigmoid(fake_logits)).mean()
''',
        "saturating as minus the non-saturating loss": '''
def generator_loss(fake_logits, non_saturating=True):
    loss = F.softplus(-fake_logits).mean()
    return loss if non_saturating else -loss
''',
        "torch.where threshold (right values, nan gradient at extreme logits)": '''
def _softplus(u):
    return torch.where(u > 20, u, torch.log1p(torch.exp(u)))


def generator_loss(fake_logits, non_saturating=True):
    if non_saturating:
        return _softplus(-fake_logits).mean()
    return -_softplus(fake_logits).mean()
''',
        "sum / len: a per-image sum for [B, k] logits": '''
def generator_loss(fake_logits, non_saturating=True):
    if non_saturating:
        return F.softplus(-fake_logits).sum() / len(fake_logits)
    return -F.softplus(fake_logits).sum() / len(fake_logits)
''',
        "computed in float32, cast back to the input's dtype": '''
def generator_loss(fake_logits, non_saturating=True):
    o = fake_logits.float()
    loss = F.softplus(-o).mean() if non_saturating else -F.softplus(o).mean()
    return loss.to(fake_logits.dtype)
''',
    },
    "answer_1_3": {
        "inverted: saturating over non-saturating": '''
def answer_1_3():
    return math.exp(-6)
''',
        "sigma(6)": '''
def answer_1_3():
    return 1 / (1 + math.exp(-6))
''',
        "the logit itself": '''
def answer_1_3():
    return 6.0
''',
        "the same gradient": '''
def answer_1_3():
    return 1.0
''',
        # red team 2026-12-03
        "1 / sigma(-6): the non-saturating gradient taken as 1": '''
def answer_1_3():
    return 1 + math.exp(6)
''',
        "1 / 0.0025: the rounded D(G(z))": '''
def answer_1_3():
    return 1 / 0.0025
''',
        "a 0-d tensor": '''
def answer_1_3():
    return torch.tensor(6.0, dtype=torch.float64).exp()
''',
        "ratio of the losses, not of their gradients": '''
def answer_1_3():
    return math.log1p(math.exp(6)) / math.log1p(math.exp(-6))
''',
    },
    "gan_train_step": {
        "G step before D step": '''
def gan_train_step(G, D, opt_g, opt_d, real, z):
    G.train(); D.train()
    fake = G(z)
    opt_g.zero_grad()
    loss_g = generator_loss(D(fake))
    loss_g.backward()
    opt_g.step()
    opt_d.zero_grad()
    loss_d = discriminator_loss(D(real), D(fake.detach()))
    loss_d.backward()
    opt_d.step()
    return loss_d.item(), loss_g.item()
''',
        "models left in eval mode (no train())": '''
def gan_train_step(G, D, opt_g, opt_d, real, z):
    fake = G(z)
    opt_d.zero_grad()
    loss_d = discriminator_loss(D(real), D(fake.detach()))
    loss_d.backward()
    opt_d.step()
    opt_g.zero_grad()
    loss_g = generator_loss(D(fake))
    loss_g.backward()
    opt_g.step()
    return loss_d.item(), loss_g.item()
''',
        "fake detached in the G step too (G never learns)": '''
def gan_train_step(G, D, opt_g, opt_d, real, z):
    G.train(); D.train()
    fake = G(z).detach()
    opt_d.zero_grad()
    loss_d = discriminator_loss(D(real), D(fake))
    loss_d.backward()
    opt_d.step()
    opt_g.zero_grad()
    loss_g = generator_loss(D(fake))
    loss_g.backward()
    opt_g.step()
    return loss_d.item(), loss_g.item()
''',
        "G run twice (a fresh fake for the G step)": '''
def gan_train_step(G, D, opt_g, opt_d, real, z):
    G.train(); D.train()
    with torch.no_grad():
        fake = G(z)
    opt_d.zero_grad()
    loss_d = discriminator_loss(D(real), D(fake))
    loss_d.backward()
    opt_d.step()
    opt_g.zero_grad()
    loss_g = generator_loss(D(G(z)))
    loss_g.backward()
    opt_g.step()
    return loss_d.item(), loss_g.item()
''',
        "D's old gradients not cleared": '''
def gan_train_step(G, D, opt_g, opt_d, real, z):
    G.train(); D.train()
    fake = G(z)
    loss_d = discriminator_loss(D(real), D(fake.detach()))
    loss_d.backward()
    opt_d.step()
    opt_g.zero_grad()
    loss_g = generator_loss(D(fake))
    loss_g.backward()
    opt_g.step()
    return loss_d.item(), loss_g.item()
''',
        "G's old gradients not cleared": '''
def gan_train_step(G, D, opt_g, opt_d, real, z):
    G.train(); D.train()
    fake = G(z)
    opt_d.zero_grad()
    loss_d = discriminator_loss(D(real), D(fake.detach()))
    loss_d.backward()
    opt_d.step()
    loss_g = generator_loss(D(fake))
    loss_g.backward()
    opt_g.step()
    return loss_d.item(), loss_g.item()
''',
        "the saturating loss in the G step": '''
def gan_train_step(G, D, opt_g, opt_d, real, z):
    G.train(); D.train()
    fake = G(z)
    opt_d.zero_grad()
    loss_d = discriminator_loss(D(real), D(fake.detach()))
    loss_d.backward()
    opt_d.step()
    opt_g.zero_grad()
    loss_g = generator_loss(D(fake), non_saturating=False)
    loss_g.backward()
    opt_g.step()
    return loss_d.item(), loss_g.item()
''',
        "simultaneous updates (both backward passes, then both steps)": '''
def gan_train_step(G, D, opt_g, opt_d, real, z):
    G.train(); D.train()
    fake = G(z)
    loss_d = discriminator_loss(D(real), D(fake.detach()))
    loss_g = generator_loss(D(fake))
    opt_d.zero_grad(); opt_g.zero_grad()
    loss_d.backward()
    loss_g.backward()
    opt_d.step(); opt_g.step()
    return loss_d.item(), loss_g.item()
''',
        "no detach: D's loss also trains G (zero_grad only at the top)": '''
def gan_train_step(G, D, opt_g, opt_d, real, z):
    G.train(); D.train()
    opt_d.zero_grad(); opt_g.zero_grad()
    fake = G(z)
    loss_d = discriminator_loss(D(real), D(fake))
    loss_d.backward(retain_graph=True)
    opt_d.step()
    loss_g = generator_loss(D(fake))
    loss_g.backward()
    opt_g.step()
    return loss_d.item(), loss_g.item()
''',
        "D stepped again after the G step": '''
def gan_train_step(G, D, opt_g, opt_d, real, z):
    G.train(); D.train()
    fake = G(z)
    opt_d.zero_grad()
    loss_d = discriminator_loss(D(real), D(fake.detach()))
    loss_d.backward()
    opt_d.step()
    opt_g.zero_grad()
    loss_g = generator_loss(D(fake))
    loss_g.backward()
    opt_g.step()
    opt_d.step()
    return loss_d.item(), loss_g.item()
''',
        "losses returned as tensors": '''
def gan_train_step(G, D, opt_g, opt_d, real, z):
    G.train(); D.train()
    fake = G(z)
    opt_d.zero_grad()
    loss_d = discriminator_loss(D(real), D(fake.detach()))
    loss_d.backward()
    opt_d.step()
    opt_g.zero_grad()
    loss_g = generator_loss(D(fake))
    loss_g.backward()
    opt_g.step()
    return loss_d.detach(), loss_g.detach()
''',
        "loss_g reported from the old D (computed before the D step, not used)": '''
def gan_train_step(G, D, opt_g, opt_d, real, z):
    G.train(); D.train()
    fake = G(z)
    with torch.no_grad():
        report_g = generator_loss(D(fake)).item()
    opt_d.zero_grad()
    loss_d = discriminator_loss(D(real), D(fake.detach()))
    loss_d.backward()
    opt_d.step()
    opt_g.zero_grad()
    loss_g = generator_loss(D(fake))
    loss_g.backward()
    opt_g.step()
    return loss_d.item(), report_g
''',
        # red team 2026-12-03
        "real and fake through D in one call (torch.cat)": '''
def gan_train_step(G, D, opt_g, opt_d, real, z):
    G.train(); D.train()
    fake = G(z)
    opt_d.zero_grad()
    logits = D(torch.cat([real, fake.detach()]))
    loss_d = discriminator_loss(logits[:len(real)], logits[len(real):])
    loss_d.backward()
    opt_d.step()
    opt_g.zero_grad()
    loss_g = generator_loss(D(fake))
    loss_g.backward()
    opt_g.step()
    return loss_d.item(), loss_g.item()
''',
        "fake through D before real": '''
def gan_train_step(G, D, opt_g, opt_d, real, z):
    G.train(); D.train()
    fake = G(z)
    opt_d.zero_grad()
    fake_logits = D(fake.detach())
    loss_d = discriminator_loss(D(real), fake_logits)
    loss_d.backward()
    opt_d.step()
    opt_g.zero_grad()
    loss_g = generator_loss(D(fake))
    loss_g.backward()
    opt_g.step()
    return loss_d.item(), loss_g.item()
''',
        "D in eval mode for the G step": '''
def gan_train_step(G, D, opt_g, opt_d, real, z):
    G.train(); D.train()
    fake = G(z)
    opt_d.zero_grad()
    loss_d = discriminator_loss(D(real), D(fake.detach()))
    loss_d.backward()
    opt_d.step()
    D.eval()
    opt_g.zero_grad()
    loss_g = generator_loss(D(fake))
    loss_g.backward()
    opt_g.step()
    D.train()
    return loss_d.item(), loss_g.item()
''',
        "zero_grad on the wrong optimizers (swapped)": '''
def gan_train_step(G, D, opt_g, opt_d, real, z):
    G.train(); D.train()
    fake = G(z)
    opt_g.zero_grad()
    loss_d = discriminator_loss(D(real), D(fake.detach()))
    loss_d.backward()
    opt_d.step()
    opt_d.zero_grad()
    loss_g = generator_loss(D(fake))
    loss_g.backward()
    opt_g.step()
    return loss_d.item(), loss_g.item()
''',
        "the G step steps opt_d (wrong optimizer)": '''
def gan_train_step(G, D, opt_g, opt_d, real, z):
    G.train(); D.train()
    fake = G(z)
    opt_d.zero_grad()
    loss_d = discriminator_loss(D(real), D(fake.detach()))
    loss_d.backward()
    opt_d.step()
    opt_g.zero_grad()
    loss_g = generator_loss(D(fake))
    loss_g.backward()
    opt_d.step()
    return loss_d.item(), loss_g.item()
''',
        "gradients cleared after each step instead of before": '''
def gan_train_step(G, D, opt_g, opt_d, real, z):
    G.train(); D.train()
    fake = G(z)
    loss_d = discriminator_loss(D(real), D(fake.detach()))
    loss_d.backward()
    opt_d.step()
    opt_d.zero_grad()
    loss_g = generator_loss(D(fake))
    loss_g.backward()
    opt_g.step()
    opt_g.zero_grad()
    return loss_d.item(), loss_g.item()
''',
    },
    "answer_2_2": {
        "a: detach scales the gradient": '''
def answer_2_2():
    return "a"
''',
        "c: D would get no gradient": '''
def answer_2_2():
    return "c"
''',
        "d: fakes become real": '''
def answer_2_2():
    return "d"
''',
        # red team 2026-12-03
        "the index of b, not the letter": '''
def answer_2_2():
    return 1
''',
        "the letter with its period": '''
def answer_2_2():
    return "b."
''',
        "a list of letters": '''
def answer_2_2():
    return ["b"]
''',
    },
    "frequency_of_classes": {
        "mean softmax probabilities (soft counts)": '''
def frequency_of_classes(classifier, images, batch_size=500):
    with torch.no_grad():
        probs = torch.cat([torch.softmax(classifier(b), 1) for b in images.split(batch_size)])
    return probs.double().mean(0)
''',
        "bincount without minlength (classes at the end go missing)": '''
def frequency_of_classes(classifier, images, batch_size=500):
    with torch.no_grad():
        logits = torch.cat([classifier(b) for b in images.split(batch_size)])
    return torch.bincount(logits.argmax(1)).double() / len(images)
''',
        "counts, not fractions": '''
def frequency_of_classes(classifier, images, batch_size=500):
    with torch.no_grad():
        logits = torch.cat([classifier(b) for b in images.split(batch_size)])
    return torch.bincount(logits.argmax(1), minlength=logits.shape[1]).double()
''',
        "float32 fractions": '''
def frequency_of_classes(classifier, images, batch_size=500):
    with torch.no_grad():
        logits = torch.cat([classifier(b) for b in images.split(batch_size)])
    return torch.bincount(logits.argmax(1), minlength=logits.shape[1]).float() / len(images)
''',
        "batch_size ignored (one call on all images)": '''
def frequency_of_classes(classifier, images, batch_size=500):
    with torch.no_grad():
        logits = classifier(images)
    return torch.bincount(logits.argmax(1), minlength=logits.shape[1]).double() / len(images)
''',
        "no torch.no_grad() (a graph for nothing)": '''
def frequency_of_classes(classifier, images, batch_size=500):
    logits = torch.cat([classifier(b) for b in images.split(batch_size)])
    return torch.bincount(logits.argmax(1), minlength=logits.shape[1]).double() / len(images)
''',
        "classifier put in training mode": '''
def frequency_of_classes(classifier, images, batch_size=500):
    classifier.train()
    with torch.no_grad():
        logits = torch.cat([classifier(b) for b in images.split(batch_size)])
    return torch.bincount(logits.argmax(1), minlength=logits.shape[1]).double() / len(images)
''',
        "only the last batch counted": '''
def frequency_of_classes(classifier, images, batch_size=500):
    with torch.no_grad():
        for b in images.split(batch_size):
            logits = classifier(b)
    return torch.bincount(logits.argmax(1), minlength=logits.shape[1]).double() / len(logits)
''',
        # red team 2026-12-03
        "classifier.eval() (the caller's mode changed)": '''
def frequency_of_classes(classifier, images, batch_size=500):
    classifier.eval()
    with torch.no_grad():
        logits = torch.cat([classifier(b) for b in images.split(batch_size)])
    return torch.bincount(logits.argmax(1), minlength=logits.shape[1]).double() / len(images)
''',
        "eval mode inside, mode restored after (not the mode it is in)": '''
def frequency_of_classes(classifier, images, batch_size=500):
    was_training = classifier.training
    classifier.eval()
    with torch.no_grad():
        logits = torch.cat([classifier(b) for b in images.split(batch_size)])
    classifier.train(was_training)
    return torch.bincount(logits.argmax(1), minlength=logits.shape[1]).double() / len(images)
''',
        "divided in float32, then cast to float64": '''
def frequency_of_classes(classifier, images, batch_size=500):
    with torch.no_grad():
        logits = torch.cat([classifier(b) for b in images.split(batch_size)])
    return (torch.bincount(logits.argmax(1), minlength=logits.shape[1]) / len(images)).double()
''',
        "number of classes hard-coded to 10": '''
def frequency_of_classes(classifier, images, batch_size=500):
    with torch.no_grad():
        logits = torch.cat([classifier(b) for b in images.split(batch_size)])
    return torch.bincount(logits.argmax(1), minlength=10).double() / len(images)
''',
        "divided by batch_size, not N": '''
def frequency_of_classes(classifier, images, batch_size=500):
    with torch.no_grad():
        logits = torch.cat([classifier(b) for b in images.split(batch_size)])
    return torch.bincount(logits.argmax(1), minlength=logits.shape[1]).double() / min(batch_size, len(images))
''',
    },
    "frechet_distance": {
        "square roots of each covariance: Tr(S1^1/2 S2^1/2)": '''
def _sqrtm_psd(s):
    lam, Q = torch.linalg.eigh(s)
    return Q @ torch.diag(lam.clamp(min=0).sqrt()) @ Q.T


def frechet_distance(mu1, sigma1, mu2, sigma2):
    mu1, sigma1, mu2, sigma2 = (t.double() for t in (mu1, sigma1, mu2, sigma2))
    diff = mu1 - mu2
    cross = (_sqrtm_psd(sigma1) @ _sqrtm_psd(sigma2)).trace()
    return float(diff @ diff + sigma1.trace() + sigma2.trace() - 2 * cross)
''',
        "computed in the input's dtype (float32)": '''
def frechet_distance(mu1, sigma1, mu2, sigma2):
    lam, Q = torch.linalg.eigh(sigma1)
    S = Q @ torch.diag(lam.clamp(min=0).sqrt()) @ Q.T
    tr_sqrt = torch.linalg.eigvalsh(S @ sigma2 @ S).clamp(min=0).sqrt().sum()
    diff = mu1 - mu2
    return float(diff @ diff + sigma1.trace() + sigma2.trace() - 2 * tr_sqrt)
''',
        "no clamp: nan for singular covariances": '''
def frechet_distance(mu1, sigma1, mu2, sigma2):
    mu1, sigma1, mu2, sigma2 = (t.double() for t in (mu1, sigma1, mu2, sigma2))
    lam, Q = torch.linalg.eigh(sigma1)
    S = Q @ torch.diag(lam.sqrt()) @ Q.T
    tr_sqrt = torch.linalg.eigvalsh(S @ sigma2 @ S).sqrt().sum()
    diff = mu1 - mu2
    return float(diff @ diff + sigma1.trace() + sigma2.trace() - 2 * tr_sqrt)
''',
        "distance of the means not squared": '''
def frechet_distance(mu1, sigma1, mu2, sigma2):
    mu1, sigma1, mu2, sigma2 = (t.double() for t in (mu1, sigma1, mu2, sigma2))
    lam, Q = torch.linalg.eigh(sigma1)
    S = Q @ torch.diag(lam.clamp(min=0).sqrt()) @ Q.T
    tr_sqrt = torch.linalg.eigvalsh(S @ sigma2 @ S).clamp(min=0).sqrt().sum()
    return float(torch.linalg.norm(mu1 - mu2) + sigma1.trace() + sigma2.trace() - 2 * tr_sqrt)
''',
        "the factor 2 forgotten": '''
def frechet_distance(mu1, sigma1, mu2, sigma2):
    mu1, sigma1, mu2, sigma2 = (t.double() for t in (mu1, sigma1, mu2, sigma2))
    lam, Q = torch.linalg.eigh(sigma1)
    S = Q @ torch.diag(lam.clamp(min=0).sqrt()) @ Q.T
    tr_sqrt = torch.linalg.eigvalsh(S @ sigma2 @ S).clamp(min=0).sqrt().sum()
    diff = mu1 - mu2
    return float(diff @ diff + sigma1.trace() + sigma2.trace() - tr_sqrt)
''',
        "elementwise square root of the product": '''
def frechet_distance(mu1, sigma1, mu2, sigma2):
    mu1, sigma1, mu2, sigma2 = (t.double() for t in (mu1, sigma1, mu2, sigma2))
    diff = mu1 - mu2
    return float(diff @ diff + sigma1.trace() + sigma2.trace() - 2 * (sigma1 @ sigma2).clamp(min=0).sqrt().trace())
''',
        "a 0-d tensor instead of a float": '''
def frechet_distance(mu1, sigma1, mu2, sigma2):
    mu1, sigma1, mu2, sigma2 = (t.double() for t in (mu1, sigma1, mu2, sigma2))
    lam, Q = torch.linalg.eigh(sigma1)
    S = Q @ torch.diag(lam.clamp(min=0).sqrt()) @ Q.T
    tr_sqrt = torch.linalg.eigvalsh(S @ sigma2 @ S).clamp(min=0).sqrt().sum()
    diff = mu1 - mu2
    return diff @ diff + sigma1.trace() + sigma2.trace() - 2 * tr_sqrt
''',
        "scipy.linalg.sqrtm (off limits)": '''
def frechet_distance(mu1, sigma1, mu2, sigma2):
    import numpy as np
    from scipy import linalg
    mu1, sigma1, mu2, sigma2 = (t.double().numpy() for t in (mu1, sigma1, mu2, sigma2))
    covmean = np.real(linalg.sqrtm(sigma1 @ sigma2))
    diff = mu1 - mu2
    return float(diff @ diff + np.trace(sigma1) + np.trace(sigma2) - 2 * np.trace(covmean))
''',
        # red team 2026-12-03
        "Q @ diag @ Q: the transpose forgotten": '''
def frechet_distance(mu1, sigma1, mu2, sigma2):
    mu1, sigma1, mu2, sigma2 = (t.double() for t in (mu1, sigma1, mu2, sigma2))
    lam, Q = torch.linalg.eigh(sigma1)
    S = Q @ torch.diag(lam.clamp(min=0).sqrt()) @ Q
    tr_sqrt = torch.linalg.eigvalsh(S @ sigma2 @ S).clamp(min=0).sqrt().sum()
    diff = mu1 - mu2
    return float(diff @ diff + sigma1.trace() + sigma2.trace() - 2 * tr_sqrt)
''',
        "eigvalsh of sigma1 @ sigma2 (not symmetric)": '''
def frechet_distance(mu1, sigma1, mu2, sigma2):
    mu1, sigma1, mu2, sigma2 = (t.double() for t in (mu1, sigma1, mu2, sigma2))
    tr_sqrt = torch.linalg.eigvalsh(sigma1 @ sigma2).clamp(min=0).sqrt().sum()
    diff = mu1 - mu2
    return float(diff @ diff + sigma1.trace() + sigma2.trace() - 2 * tr_sqrt)
''',
        "Cholesky factor instead of the square root (fails when singular)": '''
def frechet_distance(mu1, sigma1, mu2, sigma2):
    mu1, sigma1, mu2, sigma2 = (t.double() for t in (mu1, sigma1, mu2, sigma2))
    L = torch.linalg.cholesky(sigma1)
    tr_sqrt = torch.linalg.eigvalsh(L.T @ sigma2 @ L).clamp(min=0).sqrt().sum()
    diff = mu1 - mu2
    return float(diff @ diff + sigma1.trace() + sigma2.trace() - 2 * tr_sqrt)
''',
        "mu1 - mu2 taken in the input's dtype, then cast": '''
def frechet_distance(mu1, sigma1, mu2, sigma2):
    diff = (mu1 - mu2).double()
    sigma1, sigma2 = sigma1.double(), sigma2.double()
    lam, Q = torch.linalg.eigh(sigma1)
    S = Q @ torch.diag(lam.clamp(min=0).sqrt()) @ Q.T
    tr_sqrt = torch.linalg.eigvalsh(S @ sigma2 @ S).clamp(min=0).sqrt().sum()
    return float(diff @ diff + sigma1.trace() + sigma2.trace() - 2 * tr_sqrt)
''',
        "square root of the summed eigenvalues": '''
def frechet_distance(mu1, sigma1, mu2, sigma2):
    mu1, sigma1, mu2, sigma2 = (t.double() for t in (mu1, sigma1, mu2, sigma2))
    lam, Q = torch.linalg.eigh(sigma1)
    S = Q @ torch.diag(lam.clamp(min=0).sqrt()) @ Q.T
    tr_sqrt = torch.linalg.eigvalsh(S @ sigma2 @ S).clamp(min=0).sum().sqrt()
    diff = mu1 - mu2
    return float(diff @ diff + sigma1.trace() + sigma2.trace() - 2 * tr_sqrt)
''',
        "sorted eigenvalues of each covariance paired (commuting case only)": '''
def frechet_distance(mu1, sigma1, mu2, sigma2):
    mu1, sigma1, mu2, sigma2 = (t.double() for t in (mu1, sigma1, mu2, sigma2))
    lam1 = torch.linalg.eigvalsh(sigma1).clamp(min=0)
    lam2 = torch.linalg.eigvalsh(sigma2).clamp(min=0)
    tr_sqrt = (lam1 * lam2).sqrt().sum()
    diff = mu1 - mu2
    return float(diff @ diff + sigma1.trace() + sigma2.trace() - 2 * tr_sqrt)
''',
    },
    "answer_3_3": {
        "0: the mean is perfect": '''
def answer_3_3():
    return 0.0
''',
        "twice the trace": '''
def answer_3_3():
    return 25.0
''',
        "the square root of the trace": '''
def answer_3_3():
    return 12.5 ** 0.5
''',
        # red team 2026-12-03
        "the trace squared, like the mean term": '''
def answer_3_3():
    return 12.5 ** 2
''',
        "half the trace": '''
def answer_3_3():
    return 12.5 / 2
''',
        "a 0-d tensor": '''
def answer_3_3():
    return torch.tensor(12.5)
''',
    },
}

RIGHT = {
    "discriminator_loss": {
        "F.logsigmoid": '''
def discriminator_loss(real_logits, fake_logits):
    return -(F.logsigmoid(real_logits).mean() + F.logsigmoid(-fake_logits).mean())
''',
        "a hand-made stable softplus: max(u, 0) + log1p(exp(-|u|))": '''
def _softplus(u):
    return u.clamp(min=0) + torch.log1p(torch.exp(-u.abs()))


def discriminator_loss(real_logits, fake_logits):
    return _softplus(-real_logits).mean() + _softplus(fake_logits).mean()
''',
    },
    "generator_loss": {
        "F.logsigmoid": '''
def generator_loss(fake_logits, non_saturating=True):
    if non_saturating:
        return -F.logsigmoid(fake_logits).mean()
    return F.logsigmoid(-fake_logits).mean()
''',
        "one softplus with a sign": '''
def generator_loss(fake_logits, non_saturating=True):
    sign = 1.0 if non_saturating else -1.0
    return sign * F.softplus(-sign * fake_logits).mean()
''',
    },
    "answer_1_3": {
        "computed from the sigmoid": '''
def answer_1_3():
    s = torch.sigmoid(torch.tensor(-6.0, dtype=torch.float64))
    return float((1 - s) / s)
''',
        "rounded": '''
def answer_1_3():
    return 403.4
''',
    },
    "gan_train_step": {
        "both zero_grads at the top": '''
def gan_train_step(G, D, opt_g, opt_d, real, z):
    G.train(); D.train()
    opt_d.zero_grad(set_to_none=True)
    opt_g.zero_grad(set_to_none=True)
    fake = G(z)
    loss_d = discriminator_loss(D(real), D(fake.detach()))
    loss_d.backward()
    opt_d.step()
    loss_g = generator_loss(D(fake))
    loss_g.backward()
    opt_g.step()
    return float(loss_d), float(loss_g)
''',
        "D frozen during the G step": '''
def gan_train_step(G, D, opt_g, opt_d, real, z):
    G.train(); D.train()
    fake = G(z)
    opt_d.zero_grad()
    loss_d = discriminator_loss(D(real), D(fake.detach()))
    loss_d.backward()
    opt_d.step()
    D.requires_grad_(False)
    opt_g.zero_grad()
    loss_g = generator_loss(D(fake))
    loss_g.backward()
    opt_g.step()
    D.requires_grad_(True)
    return loss_d.item(), loss_g.item()
''',
        "no detach, but the graph kept and G's gradients cleared before the G step (wasteful, same result)": '''
def gan_train_step(G, D, opt_g, opt_d, real, z):
    G.train(); D.train()
    fake = G(z)
    opt_d.zero_grad()
    loss_d = discriminator_loss(D(real), D(fake))
    loss_d.backward(retain_graph=True)
    opt_d.step()
    opt_g.zero_grad()
    loss_g = generator_loss(D(fake))
    loss_g.backward()
    opt_g.step()
    return loss_d.item(), loss_g.item()
''',
    },
    "answer_2_2": {
        "upper case with spaces": '''
def answer_2_2():
    return " B "
''',
    },
    "frequency_of_classes": {
        "counts summed batch by batch": '''
def frequency_of_classes(classifier, images, batch_size=500):
    counts = 0
    with torch.no_grad():
        for b in torch.split(images, batch_size):
            logits = classifier(b)
            counts = counts + torch.bincount(logits.argmax(-1), minlength=logits.shape[-1])
    return counts.to(torch.float64) / images.shape[0]
''',
        "one-hot rows averaged": '''
@torch.no_grad()
def frequency_of_classes(classifier, images, batch_size=500):
    logits = torch.cat([classifier(images[i:i + batch_size]) for i in range(0, len(images), batch_size)])
    return F.one_hot(logits.argmax(1), logits.shape[1]).double().mean(0)
''',
    },
    "frechet_distance": {
        "eigenvalues of sigma1 @ sigma2 (real parts, clamped)": '''
def frechet_distance(mu1, sigma1, mu2, sigma2):
    mu1, sigma1, mu2, sigma2 = (t.to(torch.float64) for t in (mu1, sigma1, mu2, sigma2))
    eig = torch.linalg.eigvals(sigma1 @ sigma2).real.clamp(min=0)
    return float(((mu1 - mu2) ** 2).sum() + torch.trace(sigma1) + torch.trace(sigma2) - 2 * eig.sqrt().sum())
''',
        "numpy: the square root of sigma2 on the outside": '''
def frechet_distance(mu1, sigma1, mu2, sigma2):
    import numpy as np
    mu1, sigma1, mu2, sigma2 = (t.detach().cpu().double().numpy() for t in (mu1, sigma1, mu2, sigma2))
    lam, Q = np.linalg.eigh(sigma2)
    R = (Q * np.sqrt(np.clip(lam, 0, None))) @ Q.T
    inner = np.linalg.eigvalsh(R @ sigma1 @ R)
    diff = mu1 - mu2
    return float(diff @ diff + np.trace(sigma1) + np.trace(sigma2) - 2 * np.sqrt(np.clip(inner, 0, None)).sum())
''',
    },
    "answer_3_3": {
        "a fraction": '''
def answer_3_3():
    return 25 / 2
''',
    },
}

WARNED = {
    "discriminator_loss": ["log of a sigmoid (-inf at large logits)", "log of a clamped sigmoid (finite, but wrong for confident logits)",
                           "one mean over both batches", "F.binary_cross_entropy_with_logits (off limits)",
                           "nn.BCEWithLogitsLoss (off limits)"],
    "generator_loss": ["log of a sigmoid (-inf at large logits)", "the flag ignored: always non-saturating",
                       "saturating with the sign of D's loss: -mean log(1 - sigma)", "non-saturating as D's fake term (label 0)",
                       "F.binary_cross_entropy_with_logits (off limits)"],
    "gan_train_step": ["G step before D step", "models left in eval mode (no train())", "fake detached in the G step too (G never learns)",
                       "G run twice (a fresh fake for the G step)", "D's old gradients not cleared", "G's old gradients not cleared",
                       "the saturating loss in the G step", "no detach: D's loss also trains G (zero_grad only at the top)",
                       "D stepped again after the G step", "losses returned as tensors"],
    "frequency_of_classes": ["mean softmax probabilities (soft counts)", "bincount without minlength (classes at the end go missing)",
                             "batch_size ignored (one call on all images)", "no torch.no_grad() (a graph for nothing)"],
    "frechet_distance": ["square roots of each covariance: Tr(S1^1/2 S2^1/2)", "computed in the input's dtype (float32)",
                         "no clamp: nan for singular covariances", "a 0-d tensor instead of a float", "scipy.linalg.sqrtm (off limits)"],
}

EQUIVALENT = {
    "frequency_of_classes": {
        "clone@11:4#0": "the frequencies come from integer counts and never require grad: .detach() returns the same values",
        "dim@10:42#1": "the logits are 2-D [N, K]: dim=-1 is dim=1",
    },
}

# ---- red team, round 3 (2026-12-03) ----
WRONG.setdefault("discriminator_loss", {}).update({
    "the ATen function torch.binary_cross_entropy_with_logits (off limits)": '''
def discriminator_loss(real_logits, fake_logits):
    return (torch.binary_cross_entropy_with_logits(real_logits, torch.ones_like(real_logits))
            + torch.binary_cross_entropy_with_logits(fake_logits, torch.zeros_like(fake_logits)))
''',
    "Bernoulli log_prob (the binary cross-entropy in disguise, off limits)": '''
def discriminator_loss(real_logits, fake_logits):
    real = torch.distributions.Bernoulli(logits=real_logits, validate_args=False)
    fake = torch.distributions.Bernoulli(logits=fake_logits, validate_args=False)
    return -(real.log_prob(torch.ones_like(real_logits)).mean() + fake.log_prob(torch.zeros_like(fake_logits)).mean())
''',
    "F.soft_margin_loss with labels +1 and -1 (overflows)": '''
def discriminator_loss(real_logits, fake_logits):
    return (F.soft_margin_loss(real_logits, torch.ones_like(real_logits))
            + F.soft_margin_loss(fake_logits, -torch.ones_like(fake_logits)))
''',
    "mean over dim 0 only": '''
def discriminator_loss(real_logits, fake_logits):
    return F.softplus(-real_logits).mean(dim=0) + F.softplus(fake_logits).mean(dim=0)
''',
    "softplus with threshold=5": '''
def discriminator_loss(real_logits, fake_logits):
    return F.softplus(-real_logits, threshold=5).mean() + F.softplus(fake_logits, threshold=5).mean()
''',
    "logits clamped to [-50, 50]": '''
def discriminator_loss(real_logits, fake_logits):
    return F.softplus(-real_logits.clamp(-50, 50)).mean() + F.softplus(fake_logits.clamp(-50, 50)).mean()
''',
    "real logits detached": '''
def discriminator_loss(real_logits, fake_logits):
    return F.softplus(-real_logits.detach()).mean() + F.softplus(fake_logits).mean()
''',
})
WRONG.setdefault("generator_loss", {}).update({
    "default non_saturating=False": '''
def generator_loss(fake_logits, non_saturating=False):
    if non_saturating:
        return F.softplus(-fake_logits).mean()
    return -F.softplus(fake_logits).mean()
''',
    "non-saturating with the wrong sign: mean log sigma(o)": '''
def generator_loss(fake_logits, non_saturating=True):
    if non_saturating:
        return F.logsigmoid(fake_logits).mean()
    return -F.softplus(fake_logits).mean()
''',
    "logits negated in place": '''
def generator_loss(fake_logits, non_saturating=True):
    if non_saturating:
        return F.softplus(fake_logits.neg_()).mean()
    return -F.softplus(fake_logits).mean()
''',
    "mean over dim 0 only": '''
def generator_loss(fake_logits, non_saturating=True):
    if non_saturating:
        return F.softplus(-fake_logits).mean(dim=0)
    return -F.softplus(fake_logits).mean(dim=0)
''',
    "the ATen torch.binary_cross_entropy_with_logits (off limits)": '''
def generator_loss(fake_logits, non_saturating=True):
    if non_saturating:
        return torch.binary_cross_entropy_with_logits(fake_logits, torch.ones_like(fake_logits))
    return -torch.binary_cross_entropy_with_logits(fake_logits, torch.zeros_like(fake_logits))
''',
})
WRONG.setdefault("answer_1_3", {}).update({
    "(1 - 0.0025) / 0.0025 with the rounded D": '''
def answer_1_3():
    return (1 - 0.0025) / 0.0025
''',
})
WRONG.setdefault("gan_train_step", {}).update({
    "D.train() forgotten": '''
def gan_train_step(G, D, opt_g, opt_d, real, z):
    G.train()
    fake = G(z)
    opt_d.zero_grad()
    loss_d = discriminator_loss(D(real), D(fake.detach()))
    loss_d.backward()
    opt_d.step()
    opt_g.zero_grad()
    loss_g = generator_loss(D(fake))
    loss_g.backward()
    opt_g.step()
    return loss_d.item(), loss_g.item()
''',
    "train() called after making the fakes": '''
def gan_train_step(G, D, opt_g, opt_d, real, z):
    fake = G(z)
    G.train(); D.train()
    opt_d.zero_grad()
    loss_d = discriminator_loss(D(real), D(fake.detach()))
    loss_d.backward()
    opt_d.step()
    opt_g.zero_grad()
    loss_g = generator_loss(D(fake))
    loss_g.backward()
    opt_g.step()
    return loss_d.item(), loss_g.item()
''',
    "the models' modes restored at the end": '''
def gan_train_step(G, D, opt_g, opt_d, real, z):
    modes = G.training, D.training
    G.train(); D.train()
    fake = G(z)
    opt_d.zero_grad()
    loss_d = discriminator_loss(D(real), D(fake.detach()))
    loss_d.backward()
    opt_d.step()
    opt_g.zero_grad()
    loss_g = generator_loss(D(fake))
    loss_g.backward()
    opt_g.step()
    G.train(modes[0]); D.train(modes[1])
    return loss_d.item(), loss_g.item()
''',
    "D frozen for the G step and never unfrozen": '''
def gan_train_step(G, D, opt_g, opt_d, real, z):
    G.train(); D.train()
    fake = G(z)
    opt_d.zero_grad()
    loss_d = discriminator_loss(D(real), D(fake.detach()))
    loss_d.backward()
    opt_d.step()
    D.requires_grad_(False)
    opt_g.zero_grad()
    loss_g = generator_loss(D(fake))
    loss_g.backward()
    opt_g.step()
    return loss_d.item(), loss_g.item()
''',
    "opt_d.step() before the backward pass": '''
def gan_train_step(G, D, opt_g, opt_d, real, z):
    G.train(); D.train()
    fake = G(z)
    opt_d.zero_grad()
    loss_d = discriminator_loss(D(real), D(fake.detach()))
    opt_d.step()
    loss_d.backward()
    opt_g.zero_grad()
    loss_g = generator_loss(D(fake))
    loss_g.backward()
    opt_g.step()
    return loss_d.item(), loss_g.item()
''',
    "the two losses returned in the other order": '''
def gan_train_step(G, D, opt_g, opt_d, real, z):
    G.train(); D.train()
    fake = G(z)
    opt_d.zero_grad()
    loss_d = discriminator_loss(D(real), D(fake.detach()))
    loss_d.backward()
    opt_d.step()
    opt_g.zero_grad()
    loss_g = generator_loss(D(fake))
    loss_g.backward()
    opt_g.step()
    return loss_g.item(), loss_d.item()
''',
    "loss_d reported after D's update (D run again)": '''
def gan_train_step(G, D, opt_g, opt_d, real, z):
    G.train(); D.train()
    fake = G(z)
    opt_d.zero_grad()
    loss_d = discriminator_loss(D(real), D(fake.detach()))
    loss_d.backward()
    opt_d.step()
    with torch.no_grad():
        report_d = discriminator_loss(D(real), D(fake)).item()
    opt_g.zero_grad()
    loss_g = generator_loss(D(fake))
    loss_g.backward()
    opt_g.step()
    return report_d, loss_g.item()
''',
})
WRONG.setdefault("frequency_of_classes", {}).update({
    "images.chunk(batch_size): batch_size chunks, not chunks of batch_size": '''
def frequency_of_classes(classifier, images, batch_size=500):
    with torch.no_grad():
        logits = torch.cat([classifier(b) for b in images.chunk(batch_size)])
    return torch.bincount(logits.argmax(1), minlength=logits.shape[1]).double() / len(images)
''',
    "parameters frozen (requires_grad_(False)) instead of no_grad": '''
def frequency_of_classes(classifier, images, batch_size=500):
    classifier.requires_grad_(False)
    logits = torch.cat([classifier(b) for b in images.split(batch_size)])
    return torch.bincount(logits.argmax(1), minlength=logits.shape[1]).double() / len(images)
''',
    "default batch_size 256": '''
def frequency_of_classes(classifier, images, batch_size=256):
    with torch.no_grad():
        logits = torch.cat([classifier(b) for b in images.split(batch_size)])
    return torch.bincount(logits.argmax(1), minlength=logits.shape[1]).double() / len(images)
''',
    "the last partial batch dropped": '''
def frequency_of_classes(classifier, images, batch_size=500):
    n = len(images)
    with torch.no_grad():
        logits = torch.cat([classifier(images[i:i + batch_size]) for i in range(0, n - batch_size + 1, batch_size)]
                           or [classifier(images)])
    return torch.bincount(logits.argmax(1), minlength=logits.shape[1]).double() / len(logits)
''',
})
WRONG.setdefault("frechet_distance", {}).update({
    "a jitter 1e-6 I added to sigma1 (common in FID code)": '''
def frechet_distance(mu1, sigma1, mu2, sigma2):
    mu1, sigma1, mu2, sigma2 = (t.double() for t in (mu1, sigma1, mu2, sigma2))
    sigma1 = sigma1 + 1e-6 * torch.eye(len(sigma1), dtype=sigma1.dtype)
    lam, Q = torch.linalg.eigh(sigma1)
    S = Q @ torch.diag(lam.clamp(min=0).sqrt()) @ Q.T
    tr_sqrt = torch.linalg.eigvalsh(S @ sigma2 @ S).clamp(min=0).sqrt().sum()
    diff = mu1 - mu2
    return float(diff @ diff + sigma1.trace() + sigma2.trace() - 2 * tr_sqrt)
''',
    "the square root of the FD (the W2 distance itself)": '''
def frechet_distance(mu1, sigma1, mu2, sigma2):
    mu1, sigma1, mu2, sigma2 = (t.double() for t in (mu1, sigma1, mu2, sigma2))
    lam, Q = torch.linalg.eigh(sigma1)
    S = Q @ torch.diag(lam.clamp(min=0).sqrt()) @ Q.T
    tr_sqrt = torch.linalg.eigvalsh(S @ sigma2 @ S).clamp(min=0).sqrt().sum()
    diff = mu1 - mu2
    return float((diff @ diff + sigma1.trace() + sigma2.trace() - 2 * tr_sqrt).clamp(min=0).sqrt())
''',
    "traces taken in the input's dtype": '''
def frechet_distance(mu1, sigma1, mu2, sigma2):
    traces = sigma1.trace() + sigma2.trace()
    mu1, sigma1, mu2, sigma2 = (t.double() for t in (mu1, sigma1, mu2, sigma2))
    lam, Q = torch.linalg.eigh(sigma1)
    S = Q @ torch.diag(lam.clamp(min=0).sqrt()) @ Q.T
    tr_sqrt = torch.linalg.eigvalsh(S @ sigma2 @ S).clamp(min=0).sqrt().sum()
    diff = mu1 - mu2
    return float(diff @ diff + traces.double() - 2 * tr_sqrt)
''',
    "Q.T @ diag @ Q: the transpose on the wrong side": '''
def frechet_distance(mu1, sigma1, mu2, sigma2):
    mu1, sigma1, mu2, sigma2 = (t.double() for t in (mu1, sigma1, mu2, sigma2))
    lam, Q = torch.linalg.eigh(sigma1)
    S = Q.T @ torch.diag(lam.clamp(min=0).sqrt()) @ Q
    tr_sqrt = torch.linalg.eigvalsh(S @ sigma2 @ S).clamp(min=0).sqrt().sum()
    diff = mu1 - mu2
    return float(diff @ diff + sigma1.trace() + sigma2.trace() - 2 * tr_sqrt)
''',
    "rounded through float32 at the end": '''
def frechet_distance(mu1, sigma1, mu2, sigma2):
    mu1, sigma1, mu2, sigma2 = (t.double() for t in (mu1, sigma1, mu2, sigma2))
    lam, Q = torch.linalg.eigh(sigma1)
    S = Q @ torch.diag(lam.clamp(min=0).sqrt()) @ Q.T
    tr_sqrt = torch.linalg.eigvalsh(S @ sigma2 @ S).clamp(min=0).sqrt().sum()
    diff = mu1 - mu2
    return float((diff @ diff + sigma1.trace() + sigma2.trace() - 2 * tr_sqrt).float())
''',
})
WRONG.setdefault("answer_2_2", {}).update({
    "the letter with its explanation": '''
def answer_2_2():
    return "b: the D step must change D only"
''',
})
WRONG.setdefault("answer_3_3", {}).update({
    "the average variance: the trace over 64 features": '''
def answer_3_3():
    return 12.5 / 64
''',
})
RIGHT.setdefault("discriminator_loss", {}).update({
    "softplus as logaddexp(0, u)": '''
def discriminator_loss(real_logits, fake_logits):
    zr, zf = torch.zeros_like(real_logits), torch.zeros_like(fake_logits)
    return torch.logaddexp(zr, -real_logits).mean() + torch.logaddexp(zf, fake_logits).mean()
''',
})
RIGHT.setdefault("generator_loss", {}).update({
    "saturating through log(1 - sigma(o)) = log sigma(o) - o": '''
def generator_loss(fake_logits, non_saturating=True):
    if non_saturating:
        return -F.logsigmoid(fake_logits).mean()
    return (F.logsigmoid(fake_logits) - fake_logits).mean()
''',
})
RIGHT.setdefault("gan_train_step", {}).update({
    "the models' own zero_grad()": '''
def gan_train_step(G, D, opt_g, opt_d, real, z):
    G.train(True); D.train(True)
    fake = G(z)
    D.zero_grad()
    loss_d = discriminator_loss(D(real), D(fake.detach()))
    loss_d.backward()
    opt_d.step()
    G.zero_grad()
    loss_g = generator_loss(D(fake))
    loss_g.backward()
    opt_g.step()
    return float(loss_d.detach()), float(loss_g.detach())
''',
})
RIGHT.setdefault("frequency_of_classes", {}).update({
    "torch.inference_mode, counts over their sum": '''
def frequency_of_classes(classifier, images, batch_size=500):
    with torch.inference_mode():
        logits = [classifier(b) for b in images.split(batch_size)]
        preds = torch.cat([l.argmax(dim=-1) for l in logits])
    counts = torch.bincount(preds, minlength=logits[0].shape[-1])
    return counts.double() / counts.sum()
''',
})
RIGHT.setdefault("frechet_distance", {}).update({
    "nan square roots skipped with nansum": '''
def frechet_distance(mu1, sigma1, mu2, sigma2):
    mu1, sigma1, mu2, sigma2 = (t.to(torch.float64) for t in (mu1, sigma1, mu2, sigma2))
    lam, Q = torch.linalg.eigh(sigma1)
    S = (Q * lam.clamp(min=0).sqrt()) @ Q.mT
    tr_sqrt = torch.linalg.eigvalsh(S @ sigma2 @ S).sqrt().nansum()
    return float((mu1 - mu2).square().sum() + torch.trace(sigma1 + sigma2) - 2 * tr_sqrt)
''',
})

# ---- red team, round 5 ----
# Not kept here though it passed the earlier tests: `torch.set_grad_enabled(False)` as a statement in frequency_of_classes
# (gradients stay off after the call). `check` runs each variant in the solution's own kernel, so that variant turns
# gradients off for every later cell there (the training cell then fails). The hidden test that catches it (a notebook
# Discriminator must still record a graph after the call) was verified in a scratch kernel.
WRONG.setdefault("discriminator_loss", {}).update({
    "one-sided label smoothing (real label 0.9)": '''
def discriminator_loss(real_logits, fake_logits):
    return (0.9 * F.softplus(-real_logits) + 0.1 * F.softplus(real_logits)).mean() + F.softplus(fake_logits).mean()
''',
    "softplus of the mean logit, not the mean of the softplus": '''
def discriminator_loss(real_logits, fake_logits):
    return F.softplus(-real_logits.mean()) + F.softplus(fake_logits.mean())
''',
})
WRONG.setdefault("gan_train_step", {}).update({
    "gradient norms clipped to 1 before each step": '''
def gan_train_step(G, D, opt_g, opt_d, real, z):
    G.train(); D.train()
    fake = G(z)
    opt_d.zero_grad()
    loss_d = discriminator_loss(D(real), D(fake.detach()))
    loss_d.backward()
    torch.nn.utils.clip_grad_norm_(D.parameters(), 1.0)
    opt_d.step()
    opt_g.zero_grad()
    loss_g = generator_loss(D(fake))
    loss_g.backward()
    torch.nn.utils.clip_grad_norm_(G.parameters(), 1.0)
    opt_g.step()
    return loss_d.item(), loss_g.item()
''',
    "its own latents: torch.randn_like(z) instead of z": '''
def gan_train_step(G, D, opt_g, opt_d, real, z):
    G.train(); D.train()
    fake = G(torch.randn_like(z))
    opt_d.zero_grad()
    loss_d = discriminator_loss(D(real), D(fake.detach()))
    loss_d.backward()
    opt_d.step()
    opt_g.zero_grad()
    loss_g = generator_loss(D(fake))
    loss_g.backward()
    opt_g.step()
    return loss_d.item(), loss_g.item()
''',
    "the fake logits detached instead of the fake images": '''
def gan_train_step(G, D, opt_g, opt_d, real, z):
    G.train(); D.train()
    fake = G(z)
    opt_d.zero_grad()
    loss_d = discriminator_loss(D(real), D(fake).detach())
    loss_d.backward()
    opt_d.step()
    opt_g.zero_grad()
    loss_g = generator_loss(D(fake))
    loss_g.backward()
    opt_g.step()
    return loss_d.item(), loss_g.item()
''',
    "D's gradients cleared at the end instead of at the start": '''
def gan_train_step(G, D, opt_g, opt_d, real, z):
    G.train(); D.train()
    fake = G(z)
    loss_d = discriminator_loss(D(real), D(fake.detach()))
    loss_d.backward()
    opt_d.step()
    opt_g.zero_grad()
    loss_g = generator_loss(D(fake))
    loss_g.backward()
    opt_g.step()
    opt_d.zero_grad()
    return loss_d.item(), loss_g.item()
''',
})
WRONG.setdefault("frequency_of_classes", {}).update({
    "the frequencies moved to the CPU (.cpu())": '''
def frequency_of_classes(classifier, images, batch_size=500):
    with torch.no_grad():
        logits = torch.cat([classifier(b) for b in images.split(batch_size)])
    return (torch.bincount(logits.argmax(1), minlength=logits.shape[1]).double() / len(images)).cpu()
''',
    "counted in Python (Counter), rebuilt with torch.tensor on the CPU": '''
def frequency_of_classes(classifier, images, batch_size=500):
    from collections import Counter
    with torch.no_grad():
        logits = torch.cat([classifier(b) for b in images.split(batch_size)])
    counts = Counter(logits.argmax(1).tolist())
    return torch.tensor([counts[k] / len(images) for k in range(logits.shape[1])], dtype=torch.float64)
''',
    "counts accumulated in torch.zeros(K) made on the CPU": '''
def frequency_of_classes(classifier, images, batch_size=500):
    counts = None
    with torch.no_grad():
        for b in images.split(batch_size):
            logits = classifier(b)
            if counts is None:
                counts = torch.zeros(logits.shape[1], dtype=torch.float64)
            counts += torch.bincount(logits.argmax(1), minlength=logits.shape[1])
    return counts / len(images)
''',
})
WRONG.setdefault("frechet_distance", {}).update({
    "only float32 inputs converted (float16 and bfloat16 stay)": '''
def frechet_distance(mu1, sigma1, mu2, sigma2):
    if sigma1.dtype == torch.float32:
        mu1, sigma1, mu2, sigma2 = (t.double() for t in (mu1, sigma1, mu2, sigma2))
    lam, Q = torch.linalg.eigh(sigma1)
    S = Q @ torch.diag(lam.clamp(min=0).sqrt()) @ Q.T
    tr_sqrt = torch.linalg.eigvalsh(S @ sigma2 @ S).clamp(min=0).sqrt().sum()
    diff = mu1 - mu2
    return float(diff @ diff + sigma1.trace() + sigma2.trace() - 2 * tr_sqrt)
''',
    "inner eigenvalues floored at 1e-10 instead of clamped at 0": '''
def frechet_distance(mu1, sigma1, mu2, sigma2):
    mu1, sigma1, mu2, sigma2 = (t.double() for t in (mu1, sigma1, mu2, sigma2))
    lam, Q = torch.linalg.eigh(sigma1)
    S = Q @ torch.diag(lam.clamp(min=0).sqrt()) @ Q.T
    tr_sqrt = torch.linalg.eigvalsh(S @ sigma2 @ S).clamp(min=1e-10).sqrt().sum()
    diff = mu1 - mu2
    return float(diff @ diff + sigma1.trace() + sigma2.trace() - 2 * tr_sqrt)
''',
})
RIGHT.setdefault("gan_train_step", {}).update({
    "G's gradients from backward(inputs=G's parameters), fake.data for D": '''
def gan_train_step(G, D, opt_g, opt_d, real, z):
    G.train(); D.train()
    fake = G(z)
    opt_d.zero_grad()
    loss_d = discriminator_loss(D(real), D(fake.data))
    loss_d.backward()
    opt_d.step()
    for p in G.parameters():
        p.grad = None
    loss_g = generator_loss(D(fake), non_saturating=True)
    loss_g.backward(inputs=list(G.parameters()))
    opt_g.step()
    return loss_d.item(), loss_g.item()
''',
})
RIGHT.setdefault("frequency_of_classes", {}).update({
    "index_add_ of ones into zeros on the images' device": '''
def frequency_of_classes(classifier, images, batch_size=500):
    with torch.no_grad():
        logits = torch.cat([classifier(b) for b in torch.split(images, batch_size)])
    pred = logits.max(dim=-1).indices
    counts = torch.zeros(logits.shape[-1], dtype=torch.float64, device=images.device)
    counts.index_add_(0, pred, torch.ones_like(pred, dtype=torch.float64))
    return counts / pred.numel()
''',
})
RIGHT.setdefault("frechet_distance", {}).update({
    "nuclear norm of sigma1^(1/2) sigma2^(1/2)": '''
def _psd_sqrt(s):
    lam, Q = torch.linalg.eigh(s)
    return (Q * lam.clamp(min=0).sqrt()) @ Q.mT


def frechet_distance(mu1, sigma1, mu2, sigma2):
    mu1, sigma1, mu2, sigma2 = (t.to(torch.float64) for t in (mu1, sigma1, mu2, sigma2))
    tr_sqrt = torch.linalg.matrix_norm(_psd_sqrt(sigma1) @ _psd_sqrt(sigma2), ord="nuc")
    return float(torch.dist(mu1, mu2) ** 2 + sigma1.diagonal().sum() + sigma2.diagonal().sum() - 2 * tr_sqrt)
''',
})

# The binary cross-entropy under another name: multilabel_soft_margin_loss on one row of "labels".
WRONG["discriminator_loss"].update({
    "F.multilabel_soft_margin_loss (the BCE under another name)": '''
def discriminator_loss(real_logits, fake_logits):
    r, f = real_logits.reshape(1, -1), fake_logits.reshape(1, -1)
    return F.multilabel_soft_margin_loss(r, torch.ones_like(r)) + F.multilabel_soft_margin_loss(f, torch.zeros_like(f))
''',
})
WRONG["generator_loss"].update({
    "nn.MultiLabelSoftMarginLoss (the BCE under another name)": '''
def generator_loss(fake_logits, non_saturating=True):
    o = fake_logits.reshape(1, -1)
    if non_saturating:
        return torch.nn.MultiLabelSoftMarginLoss()(o, torch.ones_like(o))
    return -torch.nn.MultiLabelSoftMarginLoss()(o, torch.zeros_like(o))
''',
})
WARNED["discriminator_loss"].append("F.multilabel_soft_margin_loss (the BCE under another name)")
WARNED["generator_loss"].append("nn.MultiLabelSoftMarginLoss (the BCE under another name)")

# ---- red team, round 6 (2026-12-03) ----
WRONG.setdefault("discriminator_loss", {}).update({
    "fake term as -logsigmoid(fake) (the real label on both batches)": '''
def discriminator_loss(real_logits, fake_logits):
    return -F.logsigmoid(real_logits).mean() - F.logsigmoid(fake_logits).mean()
''',
    "the fake batch's mean taken over the real batch's size": '''
def discriminator_loss(real_logits, fake_logits):
    n = real_logits.numel()
    return F.softplus(-real_logits).sum() / n + F.softplus(fake_logits).sum() / n
''',
})
WRONG.setdefault("gan_train_step", {}).update({
    "the fakes made with G in evaluation mode (G.train() only afterwards)": '''
def gan_train_step(G, D, opt_g, opt_d, real, z):
    D.train()
    G.eval()
    fake = G(z)
    G.train()
    opt_d.zero_grad()
    loss_d = discriminator_loss(D(real), D(fake.detach()))
    loss_d.backward()
    opt_d.step()
    opt_g.zero_grad()
    loss_g = generator_loss(D(fake))
    loss_g.backward()
    opt_g.step()
    return loss_d.item(), loss_g.item()
''',
    "opt_g.zero_grad() between the G backward and the G step": '''
def gan_train_step(G, D, opt_g, opt_d, real, z):
    G.train(); D.train()
    fake = G(z)
    opt_d.zero_grad()
    loss_d = discriminator_loss(D(real), D(fake.detach()))
    loss_d.backward()
    opt_d.step()
    loss_g = generator_loss(D(fake))
    loss_g.backward()
    opt_g.zero_grad()
    opt_g.step()
    return loss_d.item(), loss_g.item()
''',
})
WRONG.setdefault("frequency_of_classes", {}).update({
    "mean of the per-batch frequencies (a short last batch weighs as much as a full one)": '''
def frequency_of_classes(classifier, images, batch_size=500):
    freqs = []
    with torch.no_grad():
        for b in images.split(batch_size):
            logits = classifier(b)
            freqs.append(torch.bincount(logits.argmax(1), minlength=logits.shape[1]).double() / len(b))
    return torch.stack(freqs).mean(0)
''',
    "K read from the classifier's last layer (out_features)": '''
def frequency_of_classes(classifier, images, batch_size=500):
    K = [m for m in classifier.modules() if isinstance(m, nn.Linear)][-1].out_features
    with torch.no_grad():
        pred = torch.cat([classifier(b).argmax(1) for b in images.split(batch_size)])
    return torch.bincount(pred, minlength=K).double() / len(images)
''',
})
WRONG.setdefault("frechet_distance", {}).update({
    "the square root of sigma1 times sigma2 taken as eigh of sigma1 @ sigma2 symmetrised": '''
def frechet_distance(mu1, sigma1, mu2, sigma2):
    mu1, sigma1, mu2, sigma2 = (t.double() for t in (mu1, sigma1, mu2, sigma2))
    P = sigma1 @ sigma2
    lam = torch.linalg.eigvalsh((P + P.T) / 2).clamp(min=0)
    d = mu1 - mu2
    return float(d @ d + sigma1.trace() + sigma2.trace() - 2 * lam.sqrt().sum())
''',
})

RIGHT.setdefault("frequency_of_classes", {}).update({
    "predictions counted on the CPU, the frequencies moved back to the images' device": '''
def frequency_of_classes(classifier, images, batch_size=500):
    with torch.no_grad():
        logits = torch.cat([classifier(b) for b in images.split(batch_size)])
    counts = torch.bincount(logits.argmax(1).cpu(), minlength=logits.shape[1])
    return (counts.double() / images.shape[0]).to(images.device)
''',
})
RIGHT.setdefault("gan_train_step", {}).update({
    "zero_grad(set_to_none=False), train(True), float() of the losses": '''
def gan_train_step(G, D, opt_g, opt_d, real, z):
    for m in (G, D):
        m.train(True)
    fake = G(z)
    opt_d.zero_grad(set_to_none=False)
    d_real, d_fake = D(real), D(fake.detach())
    loss_d = discriminator_loss(d_real, d_fake)
    loss_d.backward()
    opt_d.step()
    opt_g.zero_grad(set_to_none=False)
    loss_g = generator_loss(D(fake), non_saturating=True)
    loss_g.backward()
    opt_g.step()
    return float(loss_d.detach()), float(loss_g.detach())
''',
})
RIGHT.setdefault("frechet_distance", {}).update({
    "as_tensor float64, the inner matrix symmetrised before eigvalsh": '''
def frechet_distance(mu1, sigma1, mu2, sigma2):
    mu1, sigma1, mu2, sigma2 = (torch.as_tensor(t, dtype=torch.float64) for t in (mu1, sigma1, mu2, sigma2))
    lam, Q = torch.linalg.eigh(sigma1)
    S = (Q * lam.clamp(min=0).sqrt()) @ Q.mT
    M = S @ sigma2 @ S
    inner = torch.linalg.eigvalsh((M + M.mT) / 2).clamp(min=0).sqrt().sum()
    return (torch.sum((mu1 - mu2) ** 2) + torch.trace(sigma1 + sigma2) - 2 * inner).item()
''',
})

# ---- red team, round 6, second batch ----
WRONG.setdefault("frequency_of_classes", {}).update({
    "frozen with requires_grad_(False), unfrozen with requires_grad_(True) after (a frozen judge comes back unfrozen)": '''
def frequency_of_classes(classifier, images, batch_size=500):
    classifier.requires_grad_(False)
    logits = torch.cat([classifier(b) for b in images.split(batch_size)])
    classifier.requires_grad_(True)
    counts = torch.bincount(logits.argmax(1), minlength=logits.shape[1])
    return counts.double() / len(images)
''',
})

# red team rt7/g 2026-12-04
WRONG.setdefault("discriminator_loss", {}).update({
    "logits flattened with .view(-1) (fails on a non-contiguous view)": '''
def discriminator_loss(real_logits, fake_logits):
    return F.softplus(-real_logits.view(-1)).mean() + F.softplus(fake_logits.view(-1)).mean()
''',
    "a [1] tensor, not 0-d (means with keepdim)": '''
def discriminator_loss(real_logits, fake_logits):
    r, f = real_logits.reshape(1, -1), fake_logits.reshape(1, -1)
    return F.softplus(-r).mean(1) + F.softplus(f).mean(1)
''',
})
WRONG.setdefault("generator_loss", {}).update({
    "logits flattened with .view(-1) (fails on a non-contiguous view)": '''
def generator_loss(fake_logits, non_saturating=True):
    o = fake_logits.view(-1)
    if non_saturating:
        return F.softplus(-o).mean()
    return -F.softplus(o).mean()
''',
})
WRONG.setdefault("frequency_of_classes", {}).update({
    "ties counted for every tied class (one-hot of logits == max)": '''
def frequency_of_classes(classifier, images, batch_size=500):
    with torch.no_grad():
        logits = torch.cat([classifier(b) for b in images.split(batch_size)])
    hits = (logits == logits.amax(dim=1, keepdim=True)).double()
    return hits.sum(0) / len(images)
''',
    "images moved to the device of the classifier's first parameter": '''
def frequency_of_classes(classifier, images, batch_size=500):
    dev = next(classifier.parameters()).device
    with torch.no_grad():
        logits = torch.cat([classifier(b.to(dev)) for b in images.split(batch_size)])
    counts = torch.bincount(logits.argmax(1), minlength=logits.shape[1])
    return (counts.double() / len(images)).to(images.device)
''',
})
WRONG.setdefault("gan_train_step", {}).update({
    "training mode set by the flags only (G.training = True): submodules stay in eval": '''
def gan_train_step(G, D, opt_g, opt_d, real, z):
    G.training = True
    D.training = True
    fake = G(z)
    opt_d.zero_grad()
    loss_d = discriminator_loss(D(real), D(fake.detach()))
    loss_d.backward()
    opt_d.step()
    opt_g.zero_grad()
    loss_g = generator_loss(D(fake))
    loss_g.backward()
    opt_g.step()
    return loss_d.item(), loss_g.item()
''',
})
WRONG.setdefault("frechet_distance", {}).update({
    "the difference of the means taken in place in mu1 (changes a float64 input)": '''
def frechet_distance(mu1, sigma1, mu2, sigma2):
    mu1, sigma1, mu2, sigma2 = (t.double() for t in (mu1, sigma1, mu2, sigma2))
    lam, Q = torch.linalg.eigh(sigma1)
    S = Q @ torch.diag(lam.clamp(min=0).sqrt()) @ Q.T
    tr_sqrt = torch.linalg.eigvalsh(S @ sigma2 @ S).clamp(min=0).sqrt().sum()
    mu1 -= mu2
    return float(mu1 @ mu1 + sigma1.trace() + sigma2.trace() - 2 * tr_sqrt)
''',
    "the square-root trace from eigvalsh of sigma1 @ sigma2 symmetrised with its transpose": '''
def frechet_distance(mu1, sigma1, mu2, sigma2):
    mu1, sigma1, mu2, sigma2 = (t.double() for t in (mu1, sigma1, mu2, sigma2))
    P = sigma1 @ sigma2
    tr_sqrt = torch.linalg.eigvalsh((P + P.T) / 2).clamp(min=0).sqrt().sum()
    diff = mu1 - mu2
    return float(diff @ diff + sigma1.trace() + sigma2.trace() - 2 * tr_sqrt)
''',
})
RIGHT.setdefault("frechet_distance", {}).update({
    "sigma1^(1/2) from an SVD, the result clamped at 0 (round-off)": '''
def frechet_distance(mu1, sigma1, mu2, sigma2):
    mu1, sigma1, mu2, sigma2 = (torch.as_tensor(t).to(torch.float64) for t in (mu1, sigma1, mu2, sigma2))
    U, s, _ = torch.linalg.svd(sigma1)
    S = (U * s.sqrt()) @ U.T
    tr_sqrt = torch.linalg.eigvalsh(S @ sigma2 @ S).clamp(min=0).sqrt().sum()
    fd = (mu1 - mu2).square().sum() + sigma1.diagonal().sum() + sigma2.diagonal().sum() - 2 * tr_sqrt
    return max(fd.item(), 0.0)
''',
})
RIGHT.setdefault("frequency_of_classes", {}).update({
    "torch.set_grad_enabled(False) as a block, predictions gathered per batch": '''
def frequency_of_classes(classifier, images, batch_size=500):
    preds, K = [], None
    with torch.set_grad_enabled(False):
        for i in range(0, len(images), batch_size):
            out = classifier(images[i:i + batch_size])
            K = out.shape[-1]
            preds.append(out.max(dim=-1).indices)
    return torch.bincount(torch.cat(preds), minlength=K).to(torch.float64) / images.shape[0]
''',
})

# ---- red-team pass 9 (rt9/h) ----
WRONG.setdefault("discriminator_loss", {}).update({
    "twice one mean over both batches (the two means only when B_r = B_f)": '''
def discriminator_loss(real_logits, fake_logits):
    terms = torch.cat([F.softplus(-real_logits).reshape(-1), F.softplus(fake_logits).reshape(-1)])
    return 2 * terms.mean()
''',
})
RIGHT.setdefault("answer_1_3", {}).update({
    "rounded to the nearest integer (403: the text asks for 3 significant digits)": '''
def answer_1_3():
    return float(round(math.exp(6)))
''',
})
WRONG.setdefault("gan_train_step", {}).update({
    "D's gradient halved (backward of loss_d / 2, as pix2pix does), the full loss returned": '''
def gan_train_step(G, D, opt_g, opt_d, real, z):
    G.train()
    D.train()
    fake = G(z)
    opt_d.zero_grad()
    loss_d = discriminator_loss(D(real), D(fake.detach()))
    (loss_d / 2).backward()
    opt_d.step()
    opt_g.zero_grad()
    loss_g = generator_loss(D(fake))
    loss_g.backward()
    opt_g.step()
    return loss_d.item(), loss_g.item()
''',
})
WRONG.setdefault("frequency_of_classes", {}).update({
    "classifier run under bfloat16 autocast (close logits flip)": '''
def frequency_of_classes(classifier, images, batch_size=500):
    with torch.no_grad(), torch.autocast(images.device.type if images.device.type in ("cpu", "cuda") else "cpu", dtype=torch.bfloat16):
        logits = torch.cat([classifier(batch) for batch in images.split(batch_size)])
    counts = torch.bincount(logits.argmax(dim=1), minlength=logits.shape[1])
    return counts.double() / len(images)
''',
})
WRONG.setdefault("frechet_distance", {}).update({
    "||mu1 - mu2||^2 expanded as mu1.mu1 + mu2.mu2 - 2 mu1.mu2 (cancellation)": '''
def frechet_distance(mu1, sigma1, mu2, sigma2):
    mu1, sigma1, mu2, sigma2 = (t.double() for t in (mu1, sigma1, mu2, sigma2))
    lam, Q = torch.linalg.eigh(sigma1)
    S = Q @ torch.diag(lam.clamp(min=0).sqrt()) @ Q.T
    tr_sqrt = torch.linalg.eigvalsh(S @ sigma2 @ S).clamp(min=0).sqrt().sum()
    mean_term = mu1 @ mu1 + mu2 @ mu2 - 2 * (mu1 @ mu2)
    return float(mean_term + sigma1.trace() + sigma2.trace() - 2 * tr_sqrt)
''',
})
RIGHT.setdefault("discriminator_loss", {}).update({
    "fake term as fake - logsigmoid(fake)": '''
def discriminator_loss(real_logits, fake_logits):
    return -F.logsigmoid(real_logits).mean() + (fake_logits - F.logsigmoid(fake_logits)).mean()
''',
})

# ---- red-team pass 10 (h) ----
WRONG.setdefault("discriminator_loss", {}).update({
    "softplus by relu(u) + log1p(exp(-|u|)): gradient 0 at a logit of exactly 0 (a zero-initialised D never starts)": '''
def discriminator_loss(real_logits, fake_logits):
    def softplus(u):
        return torch.relu(u) + torch.log1p(torch.exp(-u.abs()))
    return softplus(-real_logits).mean() + softplus(fake_logits).mean()
''',
})
WRONG.setdefault("generator_loss", {}).update({
    "softplus by relu(u) + log1p(exp(-|u|)): gradient 0 at a logit of exactly 0": '''
def generator_loss(fake_logits, non_saturating=True):
    def softplus(u):
        return torch.relu(u) + torch.log1p(torch.exp(-u.abs()))
    if non_saturating:
        return softplus(-fake_logits).mean()
    return -softplus(fake_logits).mean()
''',
})
WRONG.setdefault("frequency_of_classes", {}).update({
    "divided by batch_size times the number of batches (a short last batch counted as full)": '''
def frequency_of_classes(classifier, images, batch_size=500):
    batches = images.split(batch_size)
    with torch.no_grad():
        logits = torch.cat([classifier(batch) for batch in batches])
    counts = torch.bincount(logits.argmax(dim=1), minlength=logits.shape[1])
    return counts.double() / (len(batches) * batch_size)
''',
})
WRONG.setdefault("gan_train_step", {}).update({
    "D's gradients cleared between its backward pass and its step (D never learns)": '''
def gan_train_step(G, D, opt_g, opt_d, real, z):
    G.train()
    D.train()
    fake = G(z)
    loss_d = discriminator_loss(D(real), D(fake.detach()))
    loss_d.backward()
    opt_d.zero_grad()
    opt_d.step()
    opt_g.zero_grad()
    loss_g = generator_loss(D(fake))
    loss_g.backward()
    opt_g.step()
    return loss_d.item(), loss_g.item()
''',
})
RIGHT.setdefault("discriminator_loss", {}).update({
    "softplus by torch.maximum(u, 0) + log1p(exp(-|u|)) (maximum splits the gradient at the tie)": '''
def discriminator_loss(real_logits, fake_logits):
    def softplus(u):
        return torch.maximum(u, torch.zeros_like(u)) + torch.log1p(torch.exp(-u.abs()))
    return softplus(-real_logits).mean() + softplus(fake_logits).mean()
''',
})

# moved from RIGHT (pass 10): u.clamp(min=0) + log1p(exp(-|u|)) takes a kink's slope (0 from torch 2.14, 1 before) at a
# logit of exactly 0, where softplus's slope is sigma(0) = 1/2: a zero-initialised D gets the wrong gradient
WRONG["discriminator_loss"]['a hand-made stable softplus: max(u, 0) + log1p(exp(-|u|))' + " with clamp(min=0) (was RIGHT: wrong gradient at a logit of 0)"] = RIGHT["discriminator_loss"].pop('a hand-made stable softplus: max(u, 0) + log1p(exp(-|u|))')

# red team 11, 2026-12-04
WRONG.setdefault("gan_train_step", {}).update({
    "real images rescaled to [-1, 1] in place (real.mul_(2).sub_(1): changes the caller's batch)": '''
def gan_train_step(G, D, opt_g, opt_d, real, z):
    G.train()
    D.train()
    real.mul_(2).sub_(1)                       # images in [0, 1] -> [-1, 1], like the generator's tanh
    fake = G(z)
    opt_d.zero_grad()
    loss_d = discriminator_loss(D(real), D(fake.detach()))
    loss_d.backward()
    opt_d.step()
    opt_g.zero_grad()
    loss_g = generator_loss(D(fake))
    loss_g.backward()
    opt_g.step()
    return loss_d.item(), loss_g.item()
''',
    "latents projected onto the unit sphere in place (z.div_(z.norm(...)))": '''
def gan_train_step(G, D, opt_g, opt_d, real, z):
    G.train()
    D.train()
    z.div_(z.norm(dim=1, keepdim=True))        # latents on the sphere (a GAN trick)
    fake = G(z)
    opt_d.zero_grad()
    loss_d = discriminator_loss(D(real), D(fake.detach()))
    loss_d.backward()
    opt_d.step()
    opt_g.zero_grad()
    loss_g = generator_loss(D(fake))
    loss_g.backward()
    opt_g.step()
    return loss_d.item(), loss_g.item()
''',
    "D switched to eval mode for the fake batch of its own step (batch norm kept on real statistics)": '''
def gan_train_step(G, D, opt_g, opt_d, real, z):
    G.train()
    D.train()
    fake = G(z)
    opt_d.zero_grad()
    real_logits = D(real)
    D.eval()
    fake_logits = D(fake.detach())
    D.train()
    loss_d = discriminator_loss(real_logits, fake_logits)
    loss_d.backward()
    opt_d.step()
    opt_g.zero_grad()
    loss_g = generator_loss(D(fake))
    loss_g.backward()
    opt_g.step()
    return loss_d.item(), loss_g.item()
''',
})
WRONG.setdefault("frequency_of_classes", {}).update({
    "autograd switched off and back on by plain calls (on even when the caller had it off)": '''
def frequency_of_classes(classifier, images, batch_size=500):
    torch.set_grad_enabled(False)
    logits = torch.cat([classifier(batch) for batch in images.split(batch_size)])
    torch.set_grad_enabled(True)
    return torch.bincount(logits.argmax(1), minlength=logits.shape[1]).double() / len(images)
''',
    "torch.tensor_split into ceil(N / batch_size) equal parts (not parts of batch_size)": '''
def frequency_of_classes(classifier, images, batch_size=500):
    n_parts = math.ceil(len(images) / batch_size)
    with torch.no_grad():
        logits = torch.cat([classifier(b) for b in torch.tensor_split(images, n_parts)])
    return torch.bincount(logits.argmax(1), minlength=logits.shape[1]).double() / len(images)
''',
})
WRONG.setdefault("frechet_distance", {}).update({
    "scipy.linalg.fractional_matrix_power(sigma1 @ sigma2, 0.5) (sqrtm under another name)": '''
import scipy.linalg


def frechet_distance(mu1, sigma1, mu2, sigma2):
    mu1, sigma1, mu2, sigma2 = (t.double() for t in (mu1, sigma1, mu2, sigma2))
    covmean = scipy.linalg.fractional_matrix_power((sigma1 @ sigma2).cpu().numpy(), 0.5).real
    diff = mu1 - mu2
    return float(diff @ diff + sigma1.trace() + sigma2.trace()) - 2 * float(covmean.trace())
''',
    "square root of sigma1 @ sigma2 by 20 Newton-Schulz iterations": '''
def frechet_distance(mu1, sigma1, mu2, sigma2):
    mu1, sigma1, mu2, sigma2 = (t.double() for t in (mu1, sigma1, mu2, sigma2))
    A = sigma1 @ sigma2
    norm = torch.linalg.matrix_norm(A)
    if norm == 0:
        tr_sqrt = torch.zeros((), dtype=torch.float64)
    else:
        I = torch.eye(len(A), dtype=A.dtype, device=A.device)
        Y, Z = A / norm, I.clone()
        for _ in range(20):
            T = 0.5 * (3 * I - Z @ Y)
            Y, Z = Y @ T, T @ Z
        tr_sqrt = (Y * norm.sqrt()).trace()
    diff = mu1 - mu2
    return float(diff @ diff + sigma1.trace() + sigma2.trace() - 2 * tr_sqrt)
''',
})
WRONG.setdefault("generator_loss", {}).update({
    "the flag renamed (ns=True): generator_loss(o, non_saturating=False) fails": '''
def generator_loss(fake_logits, ns=True):
    if ns:
        return F.softplus(-fake_logits).mean()
    return -F.softplus(fake_logits).mean()
''',
})
# the exercise text now puts scipy's other matrix functions off limits: the visible test's guard catches it
WARNED.setdefault("frechet_distance", []).append(
    "scipy.linalg.fractional_matrix_power(sigma1 @ sigma2, 0.5) (sqrtm under another name)")
RIGHT.setdefault("gan_train_step", {}).update({
    "D's two terms backpropagated one after the other (gradients add up in .grad)": '''
def gan_train_step(G, D, opt_g, opt_d, real, z):
    G.train(); D.train()
    fake = G(z)
    opt_d.zero_grad()
    loss_real = F.softplus(-D(real)).mean()
    loss_real.backward()
    loss_fake = F.softplus(D(fake.detach())).mean()
    loss_fake.backward()
    opt_d.step()
    opt_g.zero_grad()
    loss_g = generator_loss(D(fake))
    loss_g.backward()
    opt_g.step()
    return (loss_real + loss_fake).item(), loss_g.item()
''',
    "inputs cloned first (the caller's batches stay untouched)": '''
def gan_train_step(G, D, opt_g, opt_d, real, z):
    real, z = real.clone(), z.clone()
    G.train()
    D.train()
    fake = G(z)
    opt_d.zero_grad()
    loss_d = discriminator_loss(D(real), D(fake.detach()))
    loss_d.backward()
    opt_d.step()
    opt_g.zero_grad()
    loss_g = generator_loss(D(fake))
    loss_g.backward()
    opt_g.step()
    return loss_d.item(), loss_g.item()
''',
})
RIGHT.setdefault("frequency_of_classes", {}).update({
    "grad mode saved and restored around plain set_grad_enabled calls": '''
def frequency_of_classes(classifier, images, batch_size=500):
    was_on = torch.is_grad_enabled()
    torch.set_grad_enabled(False)
    try:
        logits = torch.cat([classifier(b) for b in images.split(batch_size)])
    finally:
        torch.set_grad_enabled(was_on)
    return torch.bincount(logits.argmax(1), minlength=logits.shape[1]).to(torch.float64) / images.shape[0]
''',
})
RIGHT.setdefault("frechet_distance", {}).update({
    "square-root trace as the nuclear norm of S sigma2 S's square root: svdvals of the PSD M": '''
def frechet_distance(mu1, sigma1, mu2, sigma2):
    mu1, sigma1, mu2, sigma2 = (t.to(torch.float64) for t in (mu1, sigma1, mu2, sigma2))
    lam, Q = torch.linalg.eigh(sigma1)
    S = (Q * lam.clamp(min=0).sqrt()) @ Q.mT
    tr_sqrt = torch.linalg.svdvals(S @ sigma2 @ S).sqrt().sum()      # M is PSD: singular values = eigenvalues
    diff = mu1 - mu2
    return (diff.dot(diff) + sigma1.diagonal().sum() + sigma2.diagonal().sum() - 2 * tr_sqrt).item()
''',
})

# red team 13, 2026-12-05
WRONG["frechet_distance"].update({
    "eigenvalues below 1e-10 set to 0 (taken for round-off) before the square roots": '''
def frechet_distance(mu1, sigma1, mu2, sigma2):
    mu1, sigma1, mu2, sigma2 = (t.double() for t in (mu1, sigma1, mu2, sigma2))
    lam, Q = torch.linalg.eigh(sigma1)
    lam = torch.where(lam > 1e-10, lam, torch.zeros_like(lam))          # numerical zeros
    S = Q @ torch.diag(lam.sqrt()) @ Q.T
    ev = torch.linalg.eigvalsh(S @ sigma2 @ S)
    ev = torch.where(ev > 1e-10, ev, torch.zeros_like(ev))
    diff = mu1 - mu2
    return float(diff @ diff + sigma1.trace() + sigma2.trace() - 2 * ev.sqrt().sum())
''',
    "eigenvalues below 1e-8 of the largest cut to 0 (a rank cut, as matrix_rank does)": '''
def frechet_distance(mu1, sigma1, mu2, sigma2):
    mu1, sigma1, mu2, sigma2 = (t.double() for t in (mu1, sigma1, mu2, sigma2))
    lam, Q = torch.linalg.eigh(sigma1)
    lam = lam * (lam > 1e-8 * lam.max())
    S = Q @ torch.diag(lam.sqrt()) @ Q.T
    ev = torch.linalg.eigvalsh(S @ sigma2 @ S)
    ev = ev * (ev > 1e-8 * ev.max())
    diff = mu1 - mu2
    return float(diff @ diff + sigma1.trace() + sigma2.trace() - 2 * ev.sqrt().sum())
''',
})
WRONG["discriminator_loss"].update({
    "label smoothing on the fakes (fake label 0.1)": '''
def discriminator_loss(real_logits, fake_logits):
    return F.softplus(-real_logits).mean() + (0.9 * F.softplus(fake_logits) + 0.1 * F.softplus(-fake_logits)).mean()
''',
})
WRONG["generator_loss"].update({
    "non-saturating as -log(sigmoid(o) + 1e-8) (an epsilon guard)": '''
def generator_loss(fake_logits, non_saturating=True):
    p = torch.sigmoid(fake_logits)
    if non_saturating:
        return -torch.log(p + 1e-8).mean()
    return torch.log(1 - p + 1e-8).mean()
''',
})
WRONG["frequency_of_classes"].update({
    "images cast to float32 for the classifier (batch.float())": '''
def frequency_of_classes(classifier, images, batch_size=500):
    with torch.no_grad():
        logits = torch.cat([classifier(batch.float()) for batch in images.split(batch_size)])
    counts = torch.bincount(logits.argmax(dim=1), minlength=logits.shape[1])
    return counts.double() / len(images)
''',
})
WRONG["answer_3_3"].update({
    "the square root of Tr(sigma1) (the W2 distance, not the FD)": '''
def answer_3_3():
    return 12.5 ** 0.5
''',
})
RIGHT["gan_train_step"].update({
    "both optimizers' gradients cleared at the start of the step": '''
def gan_train_step(G, D, opt_g, opt_d, real, z):
    G.train()
    D.train()
    opt_d.zero_grad()
    opt_g.zero_grad()
    fake = G(z)
    loss_d = discriminator_loss(D(real), D(fake.detach()))
    loss_d.backward()
    opt_d.step()
    loss_g = generator_loss(D(fake))
    loss_g.backward()
    opt_g.step()
    return loss_d.item(), loss_g.item()
''',
    "D frozen with requires_grad_(False) for the G step and unfrozen after": '''
def gan_train_step(G, D, opt_g, opt_d, real, z):
    G.train()
    D.train()
    fake = G(z)
    opt_d.zero_grad()
    loss_d = discriminator_loss(D(real), D(fake.detach()))
    loss_d.backward()
    opt_d.step()
    D.requires_grad_(False)
    opt_g.zero_grad()
    loss_g = generator_loss(D(fake))
    loss_g.backward()
    opt_g.step()
    D.requires_grad_(True)
    return loss_d.item(), loss_g.item()
''',
})
RIGHT["generator_loss"].update({
    "both forms by F.logsigmoid (log(1 - sigma(o)) = logsigmoid(-o))": '''
def generator_loss(fake_logits, non_saturating=True):
    if non_saturating:
        return -F.logsigmoid(fake_logits).mean()
    return F.logsigmoid(-fake_logits).mean()
''',
})
RIGHT["frechet_distance"].update({
    "the symmetric square root of sigma2 instead (M = S2 sigma1 S2)": '''
def frechet_distance(mu1, sigma1, mu2, sigma2):
    mu1, sigma1, mu2, sigma2 = (t.to(torch.float64) for t in (mu1, sigma1, mu2, sigma2))
    lam, Q = torch.linalg.eigh(sigma2)
    S = (Q * lam.clamp(min=0).sqrt()) @ Q.mT
    tr_sqrt = torch.linalg.eigvalsh(S @ sigma1 @ S).clamp(min=0).sqrt().sum()
    return float((mu1 - mu2).square().sum() + torch.trace(sigma1) + torch.trace(sigma2) - 2 * tr_sqrt)
''',
})

# ---- red team 15 (reviewer H, 2026-12-05) ----
WRONG["frequency_of_classes"].update({
    # red team 15: the argmax of the softmax, not of the logits: two logits that differ by less than the rounding of exp near 1
    # (0 and 1e-9 in float32) become equal probabilities, and the tie goes to the first class, not to the largest logit
    "argmax of the softmax probabilities (near-equal logits tie)": '''
def frequency_of_classes(classifier, images, batch_size=500):
    with torch.no_grad():
        probs = torch.cat([classifier(batch).softmax(dim=1) for batch in images.split(batch_size)])
    counts = torch.bincount(probs.argmax(dim=1), minlength=probs.shape[1])
    return counts.double() / len(images)
''',
    # red team 15: the argmax of the log-softmax: o - logsumexp(o) rounds two close logits to one value, as the softmax does
    "argmax of the log-softmax (near-equal logits tie)": '''
def frequency_of_classes(classifier, images, batch_size=500):
    with torch.no_grad():
        logp = torch.cat([F.log_softmax(classifier(batch), dim=1) for batch in images.split(batch_size)])
    counts = torch.bincount(logp.argmax(dim=1), minlength=logp.shape[1])
    return counts.double() / len(images)
''',
})
WRONG["discriminator_loss"].update({
    # red team 15: computed in float64 for precision and returned so: the text asks for a 0-d tensor of the inputs' dtype
    "computed in float64, returned in float64 (not the inputs' dtype)": '''
def discriminator_loss(real_logits, fake_logits):
    return F.softplus(-real_logits.double()).mean() + F.softplus(fake_logits.double()).mean()
''',
})
WRONG["generator_loss"].update({
    # red team 15: the saturating loss as log(1 - sigmoid(o)) with the log clamped at -100 (as binary_cross_entropy does): finite, but
    # -100 instead of -200 at o = 200
    "saturating as log(1 - sigmoid(o)) clamped at -100 (binary_cross_entropy's guard)": '''
def generator_loss(fake_logits, non_saturating=True):
    if non_saturating:
        return F.softplus(-fake_logits).mean()
    return torch.log(1 - torch.sigmoid(fake_logits)).clamp(min=-100).mean()
''',
})
WRONG["gan_train_step"].update({
    # red team 15: loss_d reported as the mean of its two terms (divided by 2), the updates right: the text returns D's loss itself
    "loss_d reported halved (the mean of its two terms)": '''
def gan_train_step(G, D, opt_g, opt_d, real, z):
    G.train()
    D.train()
    fake = G(z)
    opt_d.zero_grad()
    loss_d = discriminator_loss(D(real), D(fake.detach()))
    loss_d.backward()
    opt_d.step()
    opt_g.zero_grad()
    loss_g = generator_loss(D(fake))
    loss_g.backward()
    opt_g.step()
    return loss_d.item() / 2, loss_g.item()
''',
})
WRONG["discriminator_loss"].update({
    # red team 17: half stable: the real term by F.logsigmoid, but the fake term as log(1 - sigmoid(o)) by log1p, which is
    # -inf in float32 for a fake logit of 200 (1 - sigma(200) rounds to 0), the trap the text warns about
    "real term by logsigmoid, fake term by log1p(-sigmoid(o)) (-inf at large fake logits)": '''
def discriminator_loss(real_logits, fake_logits):
    return -F.logsigmoid(real_logits).mean() - torch.log1p(-torch.sigmoid(fake_logits)).mean()
''',
})
WRONG["generator_loss"].update({
    # red team 17: the non-saturating form stable, the saturating one as log(sigmoid(-o)) with torch.log: -inf in float32
    # for a logit of 200 (sigma(-200) rounds to 0), the trap the text warns about for both forms
    "saturating form as torch.log(torch.sigmoid(-o)) (-inf at large logits)": '''
def generator_loss(fake_logits, non_saturating=True):
    if non_saturating:
        return F.softplus(-fake_logits).mean()
    return torch.log(torch.sigmoid(-fake_logits)).mean()
''',
})
WRONG["frequency_of_classes"].update({
    # red team 17: the counts by torch.histc without min and max: the K bins then span the predictions' own range, not
    # the classes 0..K-1, so a class that no image goes to at either end shifts every bin
    "counts by torch.histc(pred, bins=K) without min and max": '''
def frequency_of_classes(classifier, images, batch_size=500):
    with torch.no_grad():
        logits = torch.cat([classifier(b) for b in images.split(batch_size)])
    counts = torch.histc(logits.argmax(1).double(), bins=logits.shape[1])
    return counts / len(images)
''',
})
WRONG["gan_train_step"].update({
    # red team 17: G's loss as D's loss with the labels swapped, discriminator_loss(D(fake), D(real)): the real term does not
    # depend on G (same update), but it runs D a third time and the loss reported is not the non-saturating generator loss
    "G's loss as D's loss with the labels swapped (discriminator_loss(D(fake), D(real)))": '''
def gan_train_step(G, D, opt_g, opt_d, real, z):
    G.train()
    D.train()
    fake = G(z)
    opt_d.zero_grad()
    loss_d = discriminator_loss(D(real), D(fake.detach()))
    loss_d.backward()
    opt_d.step()
    opt_g.zero_grad()
    loss_g = discriminator_loss(D(fake), D(real))
    loss_g.backward()
    opt_g.step()
    return loss_d.item(), loss_g.item()
''',
    # red team 17: the losses rounded to 4 decimals for the log (round(loss.item(), 4)): the step must return the losses
    # themselves
    "losses rounded to 4 decimals (round(loss.item(), 4))": '''
def gan_train_step(G, D, opt_g, opt_d, real, z):
    G.train()
    D.train()
    fake = G(z)
    opt_d.zero_grad()
    loss_d = discriminator_loss(D(real), D(fake.detach()))
    loss_d.backward()
    opt_d.step()
    opt_g.zero_grad()
    loss_g = generator_loss(D(fake))
    loss_g.backward()
    opt_g.step()
    return round(loss_d.item(), 4), round(loss_g.item(), 4)
''',
})
WARNED["discriminator_loss"].append("real term by logsigmoid, fake term by log1p(-sigmoid(o)) (-inf at large fake logits)")
WARNED["generator_loss"].append("saturating form as torch.log(torch.sigmoid(-o)) (-inf at large logits)")

# ---- red team 18 (reviewer H, 2026-12-05) ----
WRONG["answer_1_3"].update({
    # red team 18: the non-saturating gradient taken as 1 (its limit), 1 / sigma(-6) = 404.4, given to 3 significant digits
    # as the text allows: 404 is 1 + e^6 rounded, not e^6 = 403.4 (whose 3 significant digits are 403)
    "1 / sigma(-6) to 3 significant digits: 404": '''
def answer_1_3():
    return 404.0
''',
})
WRONG["frequency_of_classes"].update({
    # red team 18: the logits cast to float32 "to be safe with half-precision classifiers": a float64 classifier's two
    # logits closer than float32's resolution become equal, and the tie goes to the first class, not the largest logit
    "logits cast to float32 before the argmax": '''
def frequency_of_classes(classifier, images, batch_size=500):
    with torch.no_grad():
        logits = torch.cat([classifier(batch).float() for batch in images.split(batch_size)])
    counts = torch.bincount(logits.argmax(dim=1), minlength=logits.shape[1])
    return counts.double() / len(images)
''',
})
WRONG["discriminator_loss"].update({
    # red team 18: the loss computed in at least float32 (mixed-precision habit): bfloat16 or float16 logits give a float32
    # loss, where the text asks for a 0-d tensor of the logits' dtype
    "computed in at least float32: half-precision logits give a float32 loss": '''
def discriminator_loss(real_logits, fake_logits):
    dtype = torch.promote_types(real_logits.dtype, torch.float32)
    return F.softplus(-real_logits.to(dtype)).mean() + F.softplus(fake_logits.to(dtype)).mean()
''',
})
WRONG["generator_loss"].update({
    # red team 18: 16-bit logits upcast with .float() and the loss left in float32: the text asks for the input's dtype
    "16-bit logits upcast to float32, the loss left in float32": '''
def generator_loss(fake_logits, non_saturating=True):
    if fake_logits.element_size() < 4:
        fake_logits = fake_logits.float()
    if non_saturating:
        return F.softplus(-fake_logits).mean()
    return -F.softplus(fake_logits).mean()
''',
})
WRONG["gan_train_step"].update({
    # red team 18: gradient norms clipped at 10 "for stability" in both steps: the text's step has no clipping, and a
    # batch with large gradients (large inputs, a confident D) gets another update
    "gradient norms clipped at 10 in both steps": '''
def gan_train_step(G, D, opt_g, opt_d, real, z):
    G.train()
    D.train()
    fake = G(z)
    opt_d.zero_grad()
    loss_d = discriminator_loss(D(real), D(fake.detach()))
    loss_d.backward()
    torch.nn.utils.clip_grad_norm_(D.parameters(), 10.0)
    opt_d.step()
    opt_g.zero_grad()
    loss_g = generator_loss(D(fake))
    loss_g.backward()
    torch.nn.utils.clip_grad_norm_(G.parameters(), 10.0)
    opt_g.step()
    return loss_d.item(), loss_g.item()
''',
})
WRONG["gan_train_step"].update({
    # red team 19: anomaly detection switched on while debugging ("one of the variables needed for gradient computation
    # has been modified by an inplace operation") and left on: a global setting that slows every later backward pass of
    # the notebook; the step is the text's three steps and nothing more
    "anomaly detection switched on in the step and left on (torch.autograd.set_detect_anomaly(True))": '''
def gan_train_step(G, D, opt_g, opt_d, real, z):
    torch.autograd.set_detect_anomaly(True)
    G.train()
    D.train()
    fake = G(z)
    opt_d.zero_grad()
    loss_d = discriminator_loss(D(real), D(fake.detach()))
    loss_d.backward()
    opt_d.step()
    opt_g.zero_grad()
    loss_g = generator_loss(D(fake))
    loss_g.backward()
    opt_g.step()
    return loss_d.item(), loss_g.item()
''',
    # red team 19: cuDNN's autotuner switched on inside the step, as the DCGAN example does at the top of its script: a
    # global setting changed for the rest of the notebook by a function that should only train
    "torch.backends.cudnn.benchmark = True set in the step (as examples/dcgan does)": '''
def gan_train_step(G, D, opt_g, opt_d, real, z):
    torch.backends.cudnn.benchmark = True
    G.train()
    D.train()
    fake = G(z)
    opt_d.zero_grad()
    loss_d = discriminator_loss(D(real), D(fake.detach()))
    loss_d.backward()
    opt_d.step()
    opt_g.zero_grad()
    loss_g = generator_loss(D(fake))
    loss_g.backward()
    opt_g.step()
    return loss_d.item(), loss_g.item()
''',
    # red team 19: the global generator reseeded at every step "for reproducibility": every later draw of the caller
    # (the next batch of latents, the next real batch) repeats itself step after step
    "torch.manual_seed(0) at the start of every step (for reproducibility)": '''
def gan_train_step(G, D, opt_g, opt_d, real, z):
    torch.manual_seed(0)
    G.train()
    D.train()
    fake = G(z)
    opt_d.zero_grad()
    loss_d = discriminator_loss(D(real), D(fake.detach()))
    loss_d.backward()
    opt_d.step()
    opt_g.zero_grad()
    loss_g = generator_loss(D(fake))
    loss_g.backward()
    opt_g.step()
    return loss_d.item(), loss_g.item()
''',
    # red team 19: D frozen for the G step, then every parameter of D unfrozen: a D with a frozen part (a pretrained
    # feature extractor) comes back fully trainable, and from the next step on opt_d trains the frozen part too
    "D frozen for the G step, then every parameter unfrozen (a frozen part of D comes back trainable)": '''
def gan_train_step(G, D, opt_g, opt_d, real, z):
    G.train()
    D.train()
    fake = G(z)
    opt_d.zero_grad()
    loss_d = discriminator_loss(D(real), D(fake.detach()))
    loss_d.backward()
    opt_d.step()
    for p in D.parameters():
        p.requires_grad = False
    opt_g.zero_grad()
    loss_g = generator_loss(D(fake))
    loss_g.backward()
    opt_g.step()
    for p in D.parameters():
        p.requires_grad = True
    return loss_d.item(), loss_g.item()
''',
})

# red team 19: the text now says the step leaves each parameter's requires_grad as it found it (a hidden test freezes D's
# first layer): the two answers that freeze D for the G step and then switch requires_grad on for ALL of D's parameters
# unfreeze that layer, and opt_d trains it from the next step on
for _name, _new in (("D frozen during the G step",
                     "D frozen during the G step, then requires_grad_(True) for all of D (was RIGHT: unfreezes a frozen layer)"),
                    ("D frozen with requires_grad_(False) for the G step and unfrozen after",
                     "D frozen with requires_grad_(False) for the G step, unfrozen with requires_grad_(True) (was RIGHT: unfreezes a frozen layer)")):
    WRONG["gan_train_step"][_new] = RIGHT["gan_train_step"].pop(_name)
RIGHT["gan_train_step"].update({
    "D frozen for the G step, each parameter's own flag given back after": '''
def gan_train_step(G, D, opt_g, opt_d, real, z):
    G.train()
    D.train()
    fake = G(z)
    opt_d.zero_grad()
    loss_d = discriminator_loss(D(real), D(fake.detach()))
    loss_d.backward()
    opt_d.step()
    flags = [p.requires_grad for p in D.parameters()]
    D.requires_grad_(False)
    opt_g.zero_grad()
    loss_g = generator_loss(D(fake))
    loss_g.backward()
    opt_g.step()
    for p, flag in zip(D.parameters(), flags):
        p.requires_grad_(flag)
    return loss_d.item(), loss_g.item()
''',
})

# ---- red team 20 (reviewer B) ----
WRONG.setdefault("gan_train_step", {}).update({
    # red team 20: train() only when a model's own flag is off: a model whose own flag is on but whose batch norm was
    # switched to eval (G.eval(); G.train() flips them all, G.training alone does not) runs its batch norm in eval mode
    "train() only when the model's own flag is off (a submodule left in eval stays in eval)": '''
def gan_train_step(G, D, opt_g, opt_d, real, z):
    if not G.training:
        G.train()
    if not D.training:
        D.train()
    fake = G(z)
    opt_d.zero_grad()
    loss_d = discriminator_loss(D(real), D(fake.detach()))
    loss_d.backward()
    opt_d.step()
    opt_g.zero_grad()
    loss_g = generator_loss(D(fake))
    loss_g.backward()
    opt_g.step()
    return loss_d.item(), loss_g.item()
''',
    # red team 20: G frozen for the D step (belt and braces besides detach), then requires_grad_(True) for all of G: a G
    # with a frozen part (a pretrained decoder) comes back fully trainable, and opt_g trains that part too
    "G frozen for the D step, then requires_grad_(True) for all of G (a frozen part of G comes back trainable)": '''
def gan_train_step(G, D, opt_g, opt_d, real, z):
    G.train()
    D.train()
    fake = G(z)
    G.requires_grad_(False)
    opt_d.zero_grad()
    loss_d = discriminator_loss(D(real), D(fake.detach()))
    loss_d.backward()
    opt_d.step()
    G.requires_grad_(True)
    opt_g.zero_grad()
    loss_g = generator_loss(D(fake))
    loss_g.backward()
    opt_g.step()
    return loss_d.item(), loss_g.item()
''',
    # red team 20: real and z moved to the notebook's global `device` (the training loop's): the models may live
    # elsewhere (another GPU); the docstring says to use real and z as they are
    "real and z moved to the notebook's global device": '''
def gan_train_step(G, D, opt_g, opt_d, real, z):
    real, z = real.to(device), z.to(device)
    G.train()
    D.train()
    fake = G(z)
    opt_d.zero_grad()
    loss_d = discriminator_loss(D(real), D(fake.detach()))
    loss_d.backward()
    opt_d.step()
    opt_g.zero_grad()
    loss_g = generator_loss(D(fake))
    loss_g.backward()
    opt_g.step()
    return loss_d.item(), loss_g.item()
''',
})
WRONG["gan_train_step"].update({
    # red team 20: backward with create_graph=True (as in gradient-penalty code): the same update, but every .grad of
    # G (and D) now carries a graph through both networks' forward passes, a reference cycle that keeps them alive
    "backward(create_graph=True) in both steps (the gradients keep the graph alive)": '''
def gan_train_step(G, D, opt_g, opt_d, real, z):
    G.train()
    D.train()
    fake = G(z)
    opt_d.zero_grad()
    loss_d = discriminator_loss(D(real), D(fake.detach()))
    loss_d.backward(create_graph=True)
    opt_d.step()
    opt_g.zero_grad()
    loss_g = generator_loss(D(fake))
    loss_g.backward(create_graph=True)
    opt_g.step()
    return loss_d.item(), loss_g.item()
''',
})

# red team 20: a hidden test now freezes G's first layer (the step leaves every requires_grad flag as it found it, in
# both models): backward(inputs=list(G.parameters())) then names a tensor that does not require grad and fails
WRONG["gan_train_step"]["G's gradients from backward(inputs=all of G's parameters) (was RIGHT: fails when a part of G is frozen)"] = \
    RIGHT["gan_train_step"].pop("G's gradients from backward(inputs=G's parameters), fake.data for D")
RIGHT["gan_train_step"].update({
    "G's gradients from backward(inputs=G's trainable parameters), fake.data for D": '''
def gan_train_step(G, D, opt_g, opt_d, real, z):
    G.train(); D.train()
    fake = G(z)
    opt_d.zero_grad()
    loss_d = discriminator_loss(D(real), D(fake.data))
    loss_d.backward()
    opt_d.step()
    for p in G.parameters():
        p.grad = None
    loss_g = generator_loss(D(fake), non_saturating=True)
    loss_g.backward(inputs=[p for p in G.parameters() if p.requires_grad])
    opt_g.step()
    return loss_d.item(), loss_g.item()
''',
})
