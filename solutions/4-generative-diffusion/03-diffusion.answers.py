"""Answer variants for 03-diffusion.ipynb, run by `autograder check` against the graded tests.

WRONG: plausible wrong answers; each must fail at least one graded test of its exercise.
RIGHT: different but valid answers; each must pass every graded test of its exercise.
WARNED: the wrong answers that fall into a trap the exercise text warns about (the visible tests alone catch them).
EQUIVALENT: machine-made mutants reviewed as behaving like the solution on every valid input.
Keys are the grade_id of the exercise's solution cell; values map a short name to the cell source.
"""

_LINEAR = '''
def linear_betas(T, beta_start, beta_end):
    return torch.linspace(beta_start, beta_end, T, dtype=torch.float32)
'''

_COSINE = '''
def cosine_betas(T, s=0.008, max_beta=0.999):
    u = torch.arange(T + 1, dtype=torch.float64) / T
    f = torch.cos((u + s) / (1 + s) * (math.pi / 2)) ** 2
    return (1 - f[1:] / f[:-1]).clamp(max=max_beta).float()
'''

WRONG = {
    "noise_schedules": {
        "cosine computed in float32": _LINEAR + '''
def cosine_betas(T, s=0.008, max_beta=0.999):
    u = torch.arange(T + 1, dtype=torch.float32) / T
    f = torch.cos((u + s) / (1 + s) * (math.pi / 2)) ** 2
    return (1 - f[1:] / f[:-1]).clamp(max=max_beta)
''',
        "cosine without the max_beta clip": _LINEAR + '''
def cosine_betas(T, s=0.008, max_beta=0.999):
    u = torch.arange(T + 1, dtype=torch.float64) / T
    f = torch.cos((u + s) / (1 + s) * (math.pi / 2)) ** 2
    return (1 - f[1:] / f[:-1]).float()
''',
        "linear without its end: arange with step (end - start) / T": _COSINE + '''
def linear_betas(T, beta_start, beta_end):
    return (beta_start + (beta_end - beta_start) * torch.arange(T, dtype=torch.float64) / T).float()
''',
        "linear returned in float64": _COSINE + '''
def linear_betas(T, beta_start, beta_end):
    return torch.linspace(beta_start, beta_end, T, dtype=torch.float64)
''',
        "cosine without the 1 + s": _LINEAR + '''
def cosine_betas(T, s=0.008, max_beta=0.999):
    u = torch.arange(T + 1, dtype=torch.float64) / T
    f = torch.cos((u + s) * (math.pi / 2)) ** 2
    return (1 - f[1:] / f[:-1]).clamp(max=max_beta).float()
''',
        "cosine with cos, not cos squared": _LINEAR + '''
def cosine_betas(T, s=0.008, max_beta=0.999):
    u = torch.arange(T + 1, dtype=torch.float64) / T
    f = torch.cos((u + s) / (1 + s) * (math.pi / 2))
    return (1 - f[1:] / f[:-1]).clamp(max=max_beta).float()
''',
        "cosine with s and max_beta hard-coded": _LINEAR + '''
def cosine_betas(T, s=0.008, max_beta=0.999):
    u = torch.arange(T + 1, dtype=torch.float64) / T
    f = torch.cos((u + 0.008) / 1.008 * (math.pi / 2)) ** 2
    return (1 - f[1:] / f[:-1]).clamp(max=0.999).float()
''',
        "cosine ratio upside down: 1 - f(t/T) / f((t+1)/T)": _LINEAR + '''
def cosine_betas(T, s=0.008, max_beta=0.999):
    u = torch.arange(T + 1, dtype=torch.float64) / T
    f = torch.cos((u + s) / (1 + s) * (math.pi / 2)) ** 2
    return (1 - f[:-1] / f[1:]).abs().clamp(max=max_beta).float()
''',
        "the diffusers scheduler (off limits)": '''
def linear_betas(T, beta_start, beta_end):
    from diffusers import DDPMScheduler
    return DDPMScheduler(num_train_timesteps=T, beta_start=beta_start, beta_end=beta_end, beta_schedule="linear").betas


def cosine_betas(T, s=0.008, max_beta=0.999):
    from diffusers import DDPMScheduler
    return DDPMScheduler(num_train_timesteps=T, beta_schedule="squaredcos_cap_v2").betas
''',
    },
    "q_sample": {
        "abar[t] not reshaped: broadcast over the width": '''
def q_sample(x0, t, noise, alphas_cumprod):
    abar = alphas_cumprod[t]
    return abar.sqrt() * x0 + (1 - abar).sqrt() * noise
''',
        "reshaped to [B, 1, 1, 1]: images only": '''
def q_sample(x0, t, noise, alphas_cumprod):
    abar = alphas_cumprod[t].view(-1, 1, 1, 1)
    return abar.sqrt() * x0 + (1 - abar).sqrt() * noise
''',
        "no square roots": '''
def q_sample(x0, t, noise, alphas_cumprod):
    abar = alphas_cumprod[t].reshape(-1, *([1] * (x0.dim() - 1)))
    return abar * x0 + (1 - abar) * noise
''',
        "signal and noise factors swapped": '''
def q_sample(x0, t, noise, alphas_cumprod):
    abar = alphas_cumprod[t].reshape(-1, *([1] * (x0.dim() - 1)))
    return (1 - abar).sqrt() * x0 + abar.sqrt() * noise
''',
        "in place: x0 scaled with mul_": '''
def q_sample(x0, t, noise, alphas_cumprod):
    abar = alphas_cumprod[t].reshape(-1, *([1] * (x0.dim() - 1)))
    return x0.mul_(abar.sqrt()) + (1 - abar).sqrt() * noise
''',
        "one t for the whole batch (t[0])": '''
def q_sample(x0, t, noise, alphas_cumprod):
    abar = alphas_cumprod[t[0]]
    return abar.sqrt() * x0 + (1 - abar).sqrt() * noise
''',
        "DDPMScheduler.add_noise (off limits)": '''
def q_sample(x0, t, noise, alphas_cumprod):
    from diffusers import DDPMScheduler
    s = DDPMScheduler(num_train_timesteps=len(alphas_cumprod))
    s.alphas_cumprod = alphas_cumprod
    return s.add_noise(x0, noise, t)
''',
        "steps counted from 1: alphas_cumprod[t - 1]": '''
def q_sample(x0, t, noise, alphas_cumprod):
    abar = alphas_cumprod[t - 1].reshape(-1, *([1] * (x0.dim() - 1)))
    return abar.sqrt() * x0 + (1 - abar).sqrt() * noise
''',
        "abar cast to float32": '''
def q_sample(x0, t, noise, alphas_cumprod):
    abar = alphas_cumprod[t].float().reshape(-1, *([1] * (x0.dim() - 1)))
    return abar.sqrt() * x0 + (1 - abar).sqrt() * noise
''',
    },
    "answer_2_3": {
        "the last t still above 0.5": "def answer_2_3():\n    return 258\n",
        "the number of steps, counted from 1": "def answer_2_3():\n    return 260\n",
    },
    "ddpm_step": {
        "variance beta_t, not beta_tilde_t": '''
def ddpm_step(eps_pred, t, x_t, betas, noise):
    alphas = 1 - betas
    abar = torch.cumprod(alphas, 0)
    mean = (x_t - betas[t] / (1 - abar[t]).sqrt() * eps_pred) / alphas[t].sqrt()
    if t == 0:
        return mean
    return mean + betas[t].sqrt() * noise
''',
        "noise added at t = 0 too": '''
def ddpm_step(eps_pred, t, x_t, betas, noise):
    alphas = 1 - betas
    abar = torch.cumprod(alphas, 0)
    mean = (x_t - betas[t] / (1 - abar[t]).sqrt() * eps_pred) / alphas[t].sqrt()
    abar_prev = abar[t - 1] if t > 0 else torch.ones_like(abar[t])
    var = (1 - abar_prev) / (1 - abar[t]) * betas[t] if t > 0 else betas[0]
    return mean + var.sqrt() * noise
''',
        "1 / sqrt(abar_t) instead of 1 / sqrt(alpha_t)": '''
def ddpm_step(eps_pred, t, x_t, betas, noise):
    alphas = 1 - betas
    abar = torch.cumprod(alphas, 0)
    mean = (x_t - betas[t] / (1 - abar[t]).sqrt() * eps_pred) / abar[t].sqrt()
    if t == 0:
        return mean
    var = (1 - abar[t - 1]) / (1 - abar[t]) * betas[t]
    return mean + var.sqrt() * noise
''',
        "no square root: beta_t / (1 - abar_t)": '''
def ddpm_step(eps_pred, t, x_t, betas, noise):
    alphas = 1 - betas
    abar = torch.cumprod(alphas, 0)
    mean = (x_t - betas[t] / (1 - abar[t]) * eps_pred) / alphas[t].sqrt()
    if t == 0:
        return mean
    var = (1 - abar[t - 1]) / (1 - abar[t]) * betas[t]
    return mean + var.sqrt() * noise
''',
        "x0_hat clipped to [-1, 1] (diffusers' default)": '''
def ddpm_step(eps_pred, t, x_t, betas, noise):
    alphas = 1 - betas
    abar = torch.cumprod(alphas, 0)
    abar_prev = abar[t - 1] if t > 0 else torch.ones_like(abar[t])
    x0 = ((x_t - (1 - abar[t]).sqrt() * eps_pred) / abar[t].sqrt()).clamp(-1, 1)
    mean = abar_prev.sqrt() * betas[t] / (1 - abar[t]) * x0 + alphas[t].sqrt() * (1 - abar_prev) / (1 - abar[t]) * x_t
    if t == 0:
        return mean
    return mean + ((1 - abar_prev) / (1 - abar[t]) * betas[t]).sqrt() * noise
''',
        "computed in float32": '''
def ddpm_step(eps_pred, t, x_t, betas, noise):
    betas = betas.float()
    alphas = 1 - betas
    abar = torch.cumprod(alphas, 0)
    mean = (x_t - betas[t] / (1 - abar[t]).sqrt() * eps_pred) / alphas[t].sqrt()
    if t == 0:
        return mean
    var = (1 - abar[t - 1]) / (1 - abar[t]) * betas[t]
    return mean + var.sqrt() * noise
''',
        "abar one step late in the variance: abar_t / abar_{t+1}": '''
def ddpm_step(eps_pred, t, x_t, betas, noise):
    alphas = 1 - betas
    abar = torch.cumprod(alphas, 0)
    mean = (x_t - betas[t] / (1 - abar[t]).sqrt() * eps_pred) / alphas[t].sqrt()
    if t == 0:
        return mean
    var = (1 - abar[t]) / (1 - abar[min(t + 1, len(abar) - 1)]) * betas[t]
    return mean + var.sqrt() * noise
''',
        "noise scaled by beta_tilde_t, not its square root": '''
def ddpm_step(eps_pred, t, x_t, betas, noise):
    alphas = 1 - betas
    abar = torch.cumprod(alphas, 0)
    mean = (x_t - betas[t] / (1 - abar[t]).sqrt() * eps_pred) / alphas[t].sqrt()
    if t == 0:
        return mean
    var = (1 - abar[t - 1]) / (1 - abar[t]) * betas[t]
    return mean + var * noise
''',
        "x_t updated in place": '''
def ddpm_step(eps_pred, t, x_t, betas, noise):
    alphas = 1 - betas
    abar = torch.cumprod(alphas, 0)
    x_t -= betas[t] / (1 - abar[t]).sqrt() * eps_pred
    x_t /= alphas[t].sqrt()
    if t == 0:
        return x_t
    var = (1 - abar[t - 1]) / (1 - abar[t]) * betas[t]
    return x_t + var.sqrt() * noise
''',
    },
    "ddim_step": {
        "t_prev = -1 read as alphas_cumprod[-1]": '''
def ddim_step(eps_pred, t, t_prev, x_t, alphas_cumprod, eta=0.0):
    abar_t, abar_prev = alphas_cumprod[t], alphas_cumprod[t_prev]
    x0_hat = (x_t - (1 - abar_t).sqrt() * eps_pred) / abar_t.sqrt()
    sigma = eta * ((1 - abar_prev) / (1 - abar_t) * (1 - abar_t / abar_prev)).sqrt()
    x_prev = abar_prev.sqrt() * x0_hat + (1 - abar_prev - sigma ** 2).sqrt() * eps_pred
    if eta > 0:
        x_prev = x_prev + sigma * torch.randn_like(x_t)
    return x_prev
''',
        "direction sqrt(1 - abar_t) eps": '''
def ddim_step(eps_pred, t, t_prev, x_t, alphas_cumprod, eta=0.0):
    abar_t = alphas_cumprod[t]
    abar_prev = alphas_cumprod[t_prev] if t_prev >= 0 else torch.ones_like(abar_t)
    x0_hat = (x_t - (1 - abar_t).sqrt() * eps_pred) / abar_t.sqrt()
    sigma = eta * ((1 - abar_prev) / (1 - abar_t) * (1 - abar_t / abar_prev)).sqrt()
    x_prev = abar_prev.sqrt() * x0_hat + (1 - abar_t - sigma ** 2).sqrt() * eps_pred
    if eta > 0:
        x_prev = x_prev + sigma * torch.randn_like(x_t)
    return x_prev
''',
        "no square root on abar_prev": '''
def ddim_step(eps_pred, t, t_prev, x_t, alphas_cumprod, eta=0.0):
    abar_t = alphas_cumprod[t]
    abar_prev = alphas_cumprod[t_prev] if t_prev >= 0 else torch.ones_like(abar_t)
    x0_hat = (x_t - (1 - abar_t).sqrt() * eps_pred) / abar_t.sqrt()
    sigma = eta * ((1 - abar_prev) / (1 - abar_t) * (1 - abar_t / abar_prev)).sqrt()
    x_prev = abar_prev * x0_hat + (1 - abar_prev - sigma ** 2).sqrt() * eps_pred
    if eta > 0:
        x_prev = x_prev + sigma * torch.randn_like(x_t)
    return x_prev
''',
        "eta ignored: always deterministic": '''
def ddim_step(eps_pred, t, t_prev, x_t, alphas_cumprod, eta=0.0):
    abar_t = alphas_cumprod[t]
    abar_prev = alphas_cumprod[t_prev] if t_prev >= 0 else torch.ones_like(abar_t)
    x0_hat = (x_t - (1 - abar_t).sqrt() * eps_pred) / abar_t.sqrt()
    return abar_prev.sqrt() * x0_hat + (1 - abar_prev).sqrt() * eps_pred
''',
        "sigma squared not taken from the direction": '''
def ddim_step(eps_pred, t, t_prev, x_t, alphas_cumprod, eta=0.0):
    abar_t = alphas_cumprod[t]
    abar_prev = alphas_cumprod[t_prev] if t_prev >= 0 else torch.ones_like(abar_t)
    x0_hat = (x_t - (1 - abar_t).sqrt() * eps_pred) / abar_t.sqrt()
    sigma = eta * ((1 - abar_prev) / (1 - abar_t) * (1 - abar_t / abar_prev)).sqrt()
    x_prev = abar_prev.sqrt() * x0_hat + (1 - abar_prev).sqrt() * eps_pred
    if eta > 0:
        x_prev = x_prev + sigma * torch.randn_like(x_t)
    return x_prev
''',
        "noise drawn even for eta = 0": '''
def ddim_step(eps_pred, t, t_prev, x_t, alphas_cumprod, eta=0.0):
    abar_t = alphas_cumprod[t]
    abar_prev = alphas_cumprod[t_prev] if t_prev >= 0 else torch.ones_like(abar_t)
    x0_hat = (x_t - (1 - abar_t).sqrt() * eps_pred) / abar_t.sqrt()
    sigma = eta * ((1 - abar_prev) / (1 - abar_t) * (1 - abar_t / abar_prev)).sqrt()
    x_prev = abar_prev.sqrt() * x0_hat + (1 - abar_prev - sigma ** 2).sqrt() * eps_pred
    return x_prev + sigma * torch.randn_like(x_t)
''',
        "the DDPM mean instead of the DDIM jump": '''
def ddim_step(eps_pred, t, t_prev, x_t, alphas_cumprod, eta=0.0):
    abar_t = alphas_cumprod[t]
    abar_prev = alphas_cumprod[t_prev] if t_prev >= 0 else torch.ones_like(abar_t)
    alpha = abar_t / abar_prev
    return (x_t - (1 - alpha) / (1 - abar_t).sqrt() * eps_pred) / alpha.sqrt()
''',
        "x0_hat clipped to [-1, 1]": '''
def ddim_step(eps_pred, t, t_prev, x_t, alphas_cumprod, eta=0.0):
    abar_t = alphas_cumprod[t]
    abar_prev = alphas_cumprod[t_prev] if t_prev >= 0 else torch.ones_like(abar_t)
    x0_hat = ((x_t - (1 - abar_t).sqrt() * eps_pred) / abar_t.sqrt()).clamp(-1, 1)
    sigma = eta * ((1 - abar_prev) / (1 - abar_t) * (1 - abar_t / abar_prev)).sqrt()
    x_prev = abar_prev.sqrt() * x0_hat + (1 - abar_prev - sigma ** 2).sqrt() * eps_pred
    if eta > 0:
        x_prev = x_prev + sigma * torch.randn_like(x_t)
    return x_prev
''',
        "computed in float32": '''
def ddim_step(eps_pred, t, t_prev, x_t, alphas_cumprod, eta=0.0):
    alphas_cumprod = alphas_cumprod.float()
    abar_t = alphas_cumprod[t]
    abar_prev = alphas_cumprod[t_prev] if t_prev >= 0 else torch.ones_like(abar_t)
    x0_hat = (x_t.float() - (1 - abar_t).sqrt() * eps_pred.float()) / abar_t.sqrt()
    sigma = eta * ((1 - abar_prev) / (1 - abar_t) * (1 - abar_t / abar_prev)).sqrt()
    x_prev = abar_prev.sqrt() * x0_hat + (1 - abar_prev - sigma ** 2).sqrt() * eps_pred.float()
    if eta > 0:
        x_prev = x_prev + sigma * torch.randn_like(x_prev)
    return x_prev.to(x_t.dtype)
''',
        "t_prev = 0 also read as abar = 1 (t_prev > 0)": '''
def ddim_step(eps_pred, t, t_prev, x_t, alphas_cumprod, eta=0.0):
    abar_t = alphas_cumprod[t]
    abar_prev = alphas_cumprod[t_prev] if t_prev > 0 else torch.ones_like(abar_t)
    x0_hat = (x_t - (1 - abar_t).sqrt() * eps_pred) / abar_t.sqrt()
    sigma = eta * ((1 - abar_prev) / (1 - abar_t) * (1 - abar_t / abar_prev)).sqrt()
    x_prev = abar_prev.sqrt() * x0_hat + (1 - abar_prev - sigma ** 2).sqrt() * eps_pred
    if eta > 0:
        x_prev = x_prev + sigma * torch.randn_like(x_t)
    return x_prev
''',
        "eta > 0: z = torch.randn(x_t.shape), on the CPU": '''
def ddim_step(eps_pred, t, t_prev, x_t, alphas_cumprod, eta=0.0):
    abar_t = alphas_cumprod[t]
    abar_prev = alphas_cumprod[t_prev] if t_prev >= 0 else torch.ones_like(abar_t)
    x0_hat = (x_t - (1 - abar_t).sqrt() * eps_pred) / abar_t.sqrt()
    sigma = eta * ((1 - abar_prev) / (1 - abar_t) * (1 - abar_t / abar_prev)).sqrt()
    x_prev = abar_prev.sqrt() * x0_hat + (1 - abar_prev - sigma ** 2).sqrt() * eps_pred
    if eta > 0:
        x_prev = x_prev + sigma * torch.randn(x_t.shape)
    return x_prev
''',
    },
    "answer_3_3": {
        "a: retrain with T = 50": 'def answer_3_3():\n    return "a"\n',
        "b: DDIM draws noise": 'def answer_3_3():\n    return "b"\n',
        "d: noise at the last step": 'def answer_3_3():\n    return "d"\n',
    },
    "diffusion_loss": {
        "compared with x0, not the noise": '''
def diffusion_loss(model, x0, y, alphas_cumprod, p_uncond=0.1, null_label=10, generator=None):
    B, T = x0.shape[0], len(alphas_cumprod)
    t = torch.randint(0, T, (B,), generator=generator).to(x0.device)
    noise = torch.randn(x0.shape, generator=generator, dtype=x0.dtype).to(x0.device)
    drop = (torch.rand(B, generator=generator) < p_uncond).to(x0.device)
    y_in = torch.where(drop, torch.full_like(y, null_label), y)
    return F.mse_loss(model(q_sample(x0, t, noise, alphas_cumprod), t, y_in), x0)
''',
        "sum instead of mean": '''
def diffusion_loss(model, x0, y, alphas_cumprod, p_uncond=0.1, null_label=10, generator=None):
    B, T = x0.shape[0], len(alphas_cumprod)
    t = torch.randint(0, T, (B,), generator=generator).to(x0.device)
    noise = torch.randn(x0.shape, generator=generator, dtype=x0.dtype).to(x0.device)
    drop = (torch.rand(B, generator=generator) < p_uncond).to(x0.device)
    y_in = torch.where(drop, torch.full_like(y, null_label), y)
    return ((model(q_sample(x0, t, noise, alphas_cumprod), t, y_in) - noise) ** 2).sum() / B
''',
        "no label dropout": '''
def diffusion_loss(model, x0, y, alphas_cumprod, p_uncond=0.1, null_label=10, generator=None):
    B, T = x0.shape[0], len(alphas_cumprod)
    t = torch.randint(0, T, (B,), generator=generator).to(x0.device)
    noise = torch.randn(x0.shape, generator=generator, dtype=x0.dtype).to(x0.device)
    return F.mse_loss(model(q_sample(x0, t, noise, alphas_cumprod), t, y), noise)
''',
        "dropout inverted: keeps a label with probability p_uncond": '''
def diffusion_loss(model, x0, y, alphas_cumprod, p_uncond=0.1, null_label=10, generator=None):
    B, T = x0.shape[0], len(alphas_cumprod)
    t = torch.randint(0, T, (B,), generator=generator).to(x0.device)
    noise = torch.randn(x0.shape, generator=generator, dtype=x0.dtype).to(x0.device)
    keep = (torch.rand(B, generator=generator) < p_uncond).to(x0.device)
    y_in = torch.where(keep, y, torch.full_like(y, null_label))
    return F.mse_loss(model(q_sample(x0, t, noise, alphas_cumprod), t, y_in), noise)
''',
        "noise from the global generator (randn_like)": '''
def diffusion_loss(model, x0, y, alphas_cumprod, p_uncond=0.1, null_label=10, generator=None):
    B, T = x0.shape[0], len(alphas_cumprod)
    t = torch.randint(0, T, (B,), generator=generator).to(x0.device)
    noise = torch.randn_like(x0)
    drop = (torch.rand(B, generator=generator) < p_uncond).to(x0.device)
    y_in = torch.where(drop, torch.full_like(y, null_label), y)
    return F.mse_loss(model(q_sample(x0, t, noise, alphas_cumprod), t, y_in), noise)
''',
        "t from 1..T-1 (randint(1, T))": '''
def diffusion_loss(model, x0, y, alphas_cumprod, p_uncond=0.1, null_label=10, generator=None):
    B, T = x0.shape[0], len(alphas_cumprod)
    t = torch.randint(1, T, (B,), generator=generator).to(x0.device)
    noise = torch.randn(x0.shape, generator=generator, dtype=x0.dtype).to(x0.device)
    drop = (torch.rand(B, generator=generator) < p_uncond).to(x0.device)
    y_in = torch.where(drop, torch.full_like(y, null_label), y)
    return F.mse_loss(model(q_sample(x0, t, noise, alphas_cumprod), t, y_in), noise)
''',
        "one t for the whole batch": '''
def diffusion_loss(model, x0, y, alphas_cumprod, p_uncond=0.1, null_label=10, generator=None):
    B, T = x0.shape[0], len(alphas_cumprod)
    t = torch.randint(0, T, (1,), generator=generator).expand(B).to(x0.device)
    noise = torch.randn(x0.shape, generator=generator, dtype=x0.dtype).to(x0.device)
    drop = (torch.rand(B, generator=generator) < p_uncond).to(x0.device)
    y_in = torch.where(drop, torch.full_like(y, null_label), y)
    return F.mse_loss(model(q_sample(x0, t, noise, alphas_cumprod), t, y_in), noise)
''',
        "the loss detached (.detach())": '''
def diffusion_loss(model, x0, y, alphas_cumprod, p_uncond=0.1, null_label=10, generator=None):
    B, T = x0.shape[0], len(alphas_cumprod)
    t = torch.randint(0, T, (B,), generator=generator).to(x0.device)
    noise = torch.randn(x0.shape, generator=generator, dtype=x0.dtype).to(x0.device)
    drop = (torch.rand(B, generator=generator) < p_uncond).to(x0.device)
    y_in = torch.where(drop, torch.full_like(y, null_label), y)
    return F.mse_loss(model(q_sample(x0, t, noise, alphas_cumprod), t, y_in), noise).detach()
''',
        "labels dropped in place (y[drop] = null_label)": '''
def diffusion_loss(model, x0, y, alphas_cumprod, p_uncond=0.1, null_label=10, generator=None):
    B, T = x0.shape[0], len(alphas_cumprod)
    t = torch.randint(0, T, (B,), generator=generator).to(x0.device)
    noise = torch.randn(x0.shape, generator=generator, dtype=x0.dtype).to(x0.device)
    drop = (torch.rand(B, generator=generator) < p_uncond).to(x0.device)
    y[drop] = null_label
    return F.mse_loss(model(q_sample(x0, t, noise, alphas_cumprod), t, y), noise)
''',
        "noise drawn in float32 (no dtype=x0.dtype)": '''
def diffusion_loss(model, x0, y, alphas_cumprod, p_uncond=0.1, null_label=10, generator=None):
    B, T = x0.shape[0], len(alphas_cumprod)
    t = torch.randint(0, T, (B,), generator=generator).to(x0.device)
    noise = torch.randn(x0.shape, generator=generator).to(x0.device)
    drop = (torch.rand(B, generator=generator) < p_uncond).to(x0.device)
    y_in = torch.where(drop, torch.full_like(y, null_label), y)
    return F.mse_loss(model(q_sample(x0, t, noise, alphas_cumprod), t, y_in), noise)
''',
        "the draws left on the CPU": '''
def diffusion_loss(model, x0, y, alphas_cumprod, p_uncond=0.1, null_label=10, generator=None):
    B, T = x0.shape[0], len(alphas_cumprod)
    t = torch.randint(0, T, (B,), generator=generator)
    noise = torch.randn(x0.shape, generator=generator, dtype=x0.dtype)
    drop = torch.rand(B, generator=generator) < p_uncond
    y_in = torch.where(drop, torch.full_like(y, null_label), y)
    return F.mse_loss(model(q_sample(x0, t, noise, alphas_cumprod), t, y_in), noise)
''',
        "t clamped away from 0 (randint(0, T) + 1, clamped)": '''
def diffusion_loss(model, x0, y, alphas_cumprod, p_uncond=0.1, null_label=10, generator=None):
    B, T = x0.shape[0], len(alphas_cumprod)
    t = (torch.randint(0, T, (B,), generator=generator) + 1).clamp(max=T - 1).to(x0.device)
    noise = torch.randn(x0.shape, generator=generator, dtype=x0.dtype).to(x0.device)
    drop = (torch.rand(B, generator=generator) < p_uncond).to(x0.device)
    y_in = torch.where(drop, torch.full_like(y, null_label), y)
    return F.mse_loss(model(q_sample(x0, t, noise, alphas_cumprod), t, y_in), noise)
''',
        "drop mask from the global RNG (torch.rand(B))": '''
def diffusion_loss(model, x0, y, alphas_cumprod, p_uncond=0.1, null_label=10, generator=None):
    B, T = x0.shape[0], len(alphas_cumprod)
    t = torch.randint(0, T, (B,), generator=generator).to(x0.device)
    noise = torch.randn(x0.shape, generator=generator, dtype=x0.dtype).to(x0.device)
    drop = (torch.rand(B) < p_uncond).to(x0.device)
    y_in = torch.where(drop, torch.full_like(y, null_label), y)
    return F.mse_loss(model(q_sample(x0, t, noise, alphas_cumprod), t, y_in), noise)
''',
    },
    "classifier_free_guidance": {
        "the (1 + w) convention": '''
def classifier_free_guidance(eps_cond, eps_uncond, w):
    return (1 + w) * eps_cond - w * eps_uncond
''',
        "extrapolated from the conditional side": '''
def classifier_free_guidance(eps_cond, eps_uncond, w):
    return eps_cond + w * (eps_uncond - eps_cond)
''',
        "w times the conditional only": '''
def classifier_free_guidance(eps_cond, eps_uncond, w):
    return w * eps_cond
''',
        "in place: eps_uncond.add_(...)": '''
def classifier_free_guidance(eps_cond, eps_uncond, w):
    return eps_uncond.add_(w * (eps_cond - eps_uncond))
''',
        "computed in float32": '''
def classifier_free_guidance(eps_cond, eps_uncond, w):
    return (eps_uncond.float() + w * (eps_cond.float() - eps_uncond.float())).to(eps_cond.dtype)
''',
    },
}

RIGHT = {
    "noise_schedules": {
        "a Python loop with math.cos, as diffusers does": '''
def linear_betas(T, beta_start, beta_end):
    return torch.linspace(beta_start, beta_end, T, dtype=torch.float64).float()


def cosine_betas(T, s=0.008, max_beta=0.999):
    f = lambda u: math.cos((u + s) / (1 + s) * math.pi / 2) ** 2
    return torch.tensor([min(1 - f((i + 1) / T) / f(i / T), max_beta) for i in range(T)], dtype=torch.float32)
''',
        "alpha_bar first, then the ratios of consecutive values": '''
def linear_betas(T, beta_start, beta_end):
    return torch.linspace(beta_start, beta_end, T, dtype=torch.float32)


def cosine_betas(T, s=0.008, max_beta=0.999):
    u = torch.linspace(0, 1, T + 1, dtype=torch.float64)
    f = torch.cos((u + s) / (1 + s) * math.pi / 2) ** 2
    abar = f / f[0]
    betas = 1 - abar[1:] / abar[:-1]
    return torch.minimum(betas, torch.tensor(max_beta, dtype=torch.float64)).to(torch.float32)
''',
    },
    "q_sample": {
        "indexing with None": '''
def q_sample(x0, t, noise, alphas_cumprod):
    a = alphas_cumprod[t][(...,) + (None,) * (x0.dim() - 1)]
    return torch.sqrt(a) * x0 + torch.sqrt(1 - a) * noise
''',
        "view with the batch size": '''
def q_sample(x0, t, noise, alphas_cumprod):
    shape = (x0.shape[0],) + (1,) * (x0.dim() - 1)
    signal = alphas_cumprod[t].sqrt().view(shape)
    sigma = (1 - alphas_cumprod[t]).sqrt().view(shape)
    return signal * x0 + sigma * noise
''',
    },
    "answer_2_3": {
        "the number itself": "def answer_2_3():\n    return 259\n",
    },
    "ddpm_step": {
        "x0_hat first, then the posterior mean (diffusers' route)": '''
def ddpm_step(eps_pred, t, x_t, betas, noise):
    abar = torch.cumprod(1 - betas, 0)
    abar_t = abar[t]
    abar_prev = abar[t - 1] if t > 0 else torch.ones_like(abar_t)
    beta_t = 1 - abar_t / abar_prev
    x0_hat = (x_t - (1 - abar_t).sqrt() * eps_pred) / abar_t.sqrt()
    mean = abar_prev.sqrt() * beta_t / (1 - abar_t) * x0_hat + (1 - beta_t).sqrt() * (1 - abar_prev) / (1 - abar_t) * x_t
    sigma = ((1 - abar_prev) / (1 - abar_t) * beta_t).sqrt()
    return mean + sigma * noise if t > 0 else mean
''',
    },
    "ddim_step": {
        "abar_prev as a tensor of ones, sigma only when eta > 0": '''
def ddim_step(eps_pred, t, t_prev, x_t, alphas_cumprod, eta=0.0):
    a_t = alphas_cumprod[t]
    a_p = alphas_cumprod[t_prev] if t_prev >= 0 else alphas_cumprod.new_ones(())
    x0 = (x_t - torch.sqrt(1 - a_t) * eps_pred) / torch.sqrt(a_t)
    if eta == 0:
        return torch.sqrt(a_p) * x0 + torch.sqrt(1 - a_p) * eps_pred
    sigma = eta * torch.sqrt((1 - a_p) / (1 - a_t)) * torch.sqrt(1 - a_t / a_p)
    return torch.sqrt(a_p) * x0 + torch.sqrt(1 - a_p - sigma ** 2) * eps_pred + sigma * torch.randn_like(x_t)
''',
    },
    "answer_3_3": {
        "upper case with a space": 'def answer_3_3():\n    return " C"\n',
    },
    "diffusion_loss": {
        "bernoulli mask and masked_fill, another draw order": '''
def diffusion_loss(model, x0, y, alphas_cumprod, p_uncond=0.1, null_label=10, generator=None):
    B = x0.shape[0]
    drop = torch.bernoulli(torch.full((B,), float(p_uncond)), generator=generator).bool().to(y.device)
    noise = torch.randn(x0.shape, generator=generator, dtype=x0.dtype).to(x0.device)
    t = torch.randint(len(alphas_cumprod), (B,), generator=generator).to(x0.device)
    x_t = q_sample(x0, t, noise, alphas_cumprod)
    pred = model(x_t, t, y.masked_fill(drop, null_label))
    return ((pred - noise) ** 2).mean()
''',
    },
    "classifier_free_guidance": {
        "a weighted sum": '''
def classifier_free_guidance(eps_cond, eps_uncond, w):
    return (1 - w) * eps_uncond + w * eps_cond
''',
        "torch.lerp": '''
def classifier_free_guidance(eps_cond, eps_uncond, w):
    return torch.lerp(eps_uncond, eps_cond, w)
''',
    },
}

WARNED = {
    "noise_schedules": ["cosine computed in float32", "cosine without the max_beta clip",
                        "linear without its end: arange with step (end - start) / T", "the diffusers scheduler (off limits)"],
    "q_sample": ["abar[t] not reshaped: broadcast over the width", "in place: x0 scaled with mul_", "DDPMScheduler.add_noise (off limits)"],
    "ddpm_step": ["variance beta_t, not beta_tilde_t", "noise added at t = 0 too", "x0_hat clipped to [-1, 1] (diffusers' default)"],
    "ddim_step": ["t_prev = -1 read as alphas_cumprod[-1]"],
    "diffusion_loss": ["compared with x0, not the noise", "sum instead of mean", "no label dropout", "t from 1..T-1 (randint(1, T))",
                       "one t for the whole batch", "noise from the global generator (randn_like)"],
    "classifier_free_guidance": ["the (1 + w) convention"],
}

_NOGRAD = "the schedule is built from numbers, not from tensors that require grad: the result has no graph to detach"
_SAME = "the answer is the same number: the test checks the number, and this route still gives 259"

EQUIVALENT = {
    "noise_schedules": {"clone@4:4#0": _NOGRAD, "clone@14:4#0": _NOGRAD},
    "answer_2_3": {
        "const@4:70#0": _SAME + " (cumprod over dim -1 of a 1-d tensor is over dim 0)",
        "compare@5:16#0": _SAME + " (no alphas_cumprod is exactly 0.5)",
        "const@4:42#2": _SAME + " (1001 evenly spaced betas first fall below 0.5 at the same index)",
    },
    "ddpm_step": {"const@10:33#0": "cumprod over dim -1 of the 1-d betas is over dim 0"},
    "ddim_step": {"arith@16:17#0": "z and -z are both standard normal: subtracting sigma z draws from the same distribution"},
    "diffusion_loss": {
        "args@16:11#0": "the mean squared error is symmetric in its two arguments",
    },
}

# ---- red team, round 3 (2026-12-03) ----
WRONG.setdefault("noise_schedules", {}).update({
    "linear from arange / (T - 1): nan for T = 1": _COSINE + '''
def linear_betas(T, beta_start, beta_end):
    return (beta_start + (beta_end - beta_start) * torch.arange(T, dtype=torch.float64) / (T - 1)).float()
''',
    "cosine: u from a float32 linspace, then float64": _LINEAR + '''
def cosine_betas(T, s=0.008, max_beta=0.999):
    u = torch.linspace(0, 1, T + 1).double()
    f = torch.cos((u + s) / (1 + s) * (math.pi / 2)) ** 2
    return (1 - f[1:] / f[:-1]).clamp(max=max_beta).float()
''',
    "cosine: the ratio rounded to float32 before 1 - ratio": _LINEAR + '''
def cosine_betas(T, s=0.008, max_beta=0.999):
    u = torch.arange(T + 1, dtype=torch.float64) / T
    f = torch.cos((u + s) / (1 + s) * (math.pi / 2)) ** 2
    return (1 - (f[1:] / f[:-1]).float()).clamp(max=max_beta)
''',
    "linear spaced in sqrt(beta) (Stable Diffusion's scaled_linear)": _COSINE + '''
def linear_betas(T, beta_start, beta_end):
    return torch.linspace(beta_start ** 0.5, beta_end ** 0.5, T, dtype=torch.float64).pow(2).float()
''',
    "cosine: max_beta ignored (0.999 assumed)": _LINEAR + '''
def cosine_betas(T, s=0.008, max_beta=0.999):
    u = torch.arange(T + 1, dtype=torch.float64) / T
    f = torch.cos((u + s) / (1 + s) * (math.pi / 2)) ** 2
    return (1 - f[1:] / f[:-1]).clamp(max=0.999).float()
''',
    "cosine: betas_for_alpha_bar of another diffusers scheduler (off limits)": _LINEAR + '''
def cosine_betas(T, s=0.008, max_beta=0.999):
    from diffusers.schedulers.scheduling_pndm import betas_for_alpha_bar
    if s != 0.008:
        u = torch.arange(T + 1, dtype=torch.float64) / T
        f = torch.cos((u + s) / (1 + s) * (math.pi / 2)) ** 2
        return (1 - f[1:] / f[:-1]).clamp(max=max_beta).float()
    return betas_for_alpha_bar(T, max_beta=max_beta).float()
''',
    "linear: PNDMScheduler's betas (a diffusers scheduler, off limits)": _COSINE + '''
def linear_betas(T, beta_start, beta_end):
    from diffusers import PNDMScheduler
    return PNDMScheduler(num_train_timesteps=T, beta_start=beta_start, beta_end=beta_end, beta_schedule="linear").betas
''',
})
WRONG.setdefault("q_sample", {}).update({
    "1 - sqrt(abar) instead of sqrt(1 - abar)": '''
def q_sample(x0, t, noise, alphas_cumprod):
    abar = alphas_cumprod[t].reshape(-1, *([1] * (x0.dim() - 1)))
    return abar.sqrt() * x0 + (1 - abar.sqrt()) * noise
''',
    "x0 detached": '''
def q_sample(x0, t, noise, alphas_cumprod):
    abar = alphas_cumprod[t].reshape(-1, *([1] * (x0.dim() - 1)))
    return abar.sqrt() * x0.detach() + (1 - abar).sqrt() * noise
''',
    "DDPMParallelScheduler.add_noise (a diffusers scheduler, off limits)": '''
def q_sample(x0, t, noise, alphas_cumprod):
    from diffusers import DDPMParallelScheduler
    s = DDPMParallelScheduler(num_train_timesteps=len(alphas_cumprod))
    s.alphas_cumprod = alphas_cumprod
    return s.add_noise(x0, noise, t)
''',
    "abar reshaped to [B, 1]: vectors only": '''
def q_sample(x0, t, noise, alphas_cumprod):
    abar = alphas_cumprod[t][:, None]
    return abar.sqrt() * x0 + (1 - abar).sqrt() * noise
''',
})
WRONG.setdefault("ddpm_step", {}).update({
    "no noise at t <= 1 (steps counted from 1)": '''
def ddpm_step(eps_pred, t, x_t, betas, noise):
    alphas = 1 - betas
    abar = torch.cumprod(alphas, 0)
    mean = (x_t - betas[t] / (1 - abar[t]).sqrt() * eps_pred) / alphas[t].sqrt()
    if t <= 1:
        return mean
    var = (1 - abar[t - 1]) / (1 - abar[t]) * betas[t]
    return mean + var.sqrt() * noise
''',
    "abar_prev padded with torch.ones(1) made on the CPU": '''
def ddpm_step(eps_pred, t, x_t, betas, noise):
    alphas = 1 - betas
    abar = torch.cumprod(alphas, 0)
    abar_prev = torch.cat([torch.ones(1, dtype=betas.dtype), abar[:-1]])
    mean = (x_t - betas[t] / (1 - abar[t]).sqrt() * eps_pred) / alphas[t].sqrt()
    var = (1 - abar_prev[t]) / (1 - abar[t]) * betas[t]
    return mean + var.sqrt() * noise if t > 0 else mean
''',
    "DDPMParallelScheduler.step (a diffusers scheduler, off limits)": '''
def ddpm_step(eps_pred, t, x_t, betas, noise):
    from diffusers import DDPMParallelScheduler
    s = DDPMParallelScheduler(num_train_timesteps=len(betas), clip_sample=False)
    s.betas, s.alphas = betas, 1 - betas
    s.alphas_cumprod = torch.cumprod(1 - betas, 0)
    mean = s.step(eps_pred, t, x_t).prev_sample if t == 0 else None
    if t == 0:
        return mean
    abar = s.alphas_cumprod
    mean = (x_t - betas[t] / (1 - abar[t]).sqrt() * eps_pred) / (1 - betas[t]).sqrt()
    return mean + ((1 - abar[t - 1]) / (1 - abar[t]) * betas[t]).sqrt() * noise
''',
})
WRONG.setdefault("ddim_step", {}).update({
    "t_prev = -1 read as alphas_cumprod[0] (max(t_prev, 0))": '''
def ddim_step(eps_pred, t, t_prev, x_t, alphas_cumprod, eta=0.0):
    abar_t, abar_prev = alphas_cumprod[t], alphas_cumprod[max(t_prev, 0)]
    x0_hat = (x_t - (1 - abar_t).sqrt() * eps_pred) / abar_t.sqrt()
    sigma = eta * ((1 - abar_prev) / (1 - abar_t) * (1 - abar_t / abar_prev)).sqrt()
    x_prev = abar_prev.sqrt() * x0_hat + (1 - abar_prev - sigma ** 2).sqrt() * eps_pred
    if eta > 0:
        x_prev = x_prev + sigma * torch.randn_like(x_t)
    return x_prev
''',
    "eta inside the square root of sigma": '''
def ddim_step(eps_pred, t, t_prev, x_t, alphas_cumprod, eta=0.0):
    abar_t = alphas_cumprod[t]
    abar_prev = alphas_cumprod[t_prev] if t_prev >= 0 else torch.ones_like(abar_t)
    x0_hat = (x_t - (1 - abar_t).sqrt() * eps_pred) / abar_t.sqrt()
    sigma = (eta * (1 - abar_prev) / (1 - abar_t) * (1 - abar_t / abar_prev)).sqrt()
    x_prev = abar_prev.sqrt() * x0_hat + (1 - abar_prev - sigma ** 2).sqrt() * eps_pred
    if eta > 0:
        x_prev = x_prev + sigma * torch.randn_like(x_t)
    return x_prev
''',
    "sigma's first factor upside down": '''
def ddim_step(eps_pred, t, t_prev, x_t, alphas_cumprod, eta=0.0):
    abar_t = alphas_cumprod[t]
    abar_prev = alphas_cumprod[t_prev] if t_prev >= 0 else torch.ones_like(abar_t)
    x0_hat = (x_t - (1 - abar_t).sqrt() * eps_pred) / abar_t.sqrt()
    sigma = eta * ((1 - abar_t) / (1 - abar_prev) * (1 - abar_t / abar_prev)).sqrt()
    x_prev = abar_prev.sqrt() * x0_hat + (1 - abar_prev - sigma ** 2).clamp(min=0).sqrt() * eps_pred
    if eta > 0:
        x_prev = x_prev + sigma * torch.randn_like(x_t)
    return x_prev
''',
    "DDIMParallelScheduler.step (a diffusers scheduler, off limits)": '''
def ddim_step(eps_pred, t, t_prev, x_t, alphas_cumprod, eta=0.0):
    from diffusers import DDIMParallelScheduler
    s = DDIMParallelScheduler(num_train_timesteps=len(alphas_cumprod), clip_sample=False, set_alpha_to_one=True)
    s.alphas_cumprod = alphas_cumprod
    s.final_alpha_cumprod = torch.ones_like(alphas_cumprod[0])
    s.num_inference_steps = len(alphas_cumprod) // (t - t_prev)
    return s.step(eps_pred, t, x_t, eta=eta).prev_sample
''',
})
WRONG.setdefault("diffusion_loss", {}).update({
    "generator None replaced by a fresh torch.Generator() (the same draws every call)": '''
def diffusion_loss(model, x0, y, alphas_cumprod, p_uncond=0.1, null_label=10, generator=None):
    generator = generator if generator is not None else torch.Generator()
    B, T = x0.shape[0], len(alphas_cumprod)
    t = torch.randint(0, T, (B,), generator=generator).to(x0.device)
    noise = torch.randn(x0.shape, generator=generator, dtype=x0.dtype).to(x0.device)
    drop = (torch.rand(B, generator=generator) < p_uncond).to(x0.device)
    y_in = torch.where(drop, torch.full_like(y, null_label), y)
    return F.mse_loss(model(q_sample(x0, t, noise, alphas_cumprod), t, y_in), noise)
''',
    "one noise image shared by the whole batch (x0.shape[1:])": '''
def diffusion_loss(model, x0, y, alphas_cumprod, p_uncond=0.1, null_label=10, generator=None):
    B, T = x0.shape[0], len(alphas_cumprod)
    t = torch.randint(0, T, (B,), generator=generator).to(x0.device)
    noise = torch.randn(x0.shape[1:], generator=generator, dtype=x0.dtype).to(x0.device).expand_as(x0)
    drop = (torch.rand(B, generator=generator) < p_uncond).to(x0.device)
    y_in = torch.where(drop, torch.full_like(y, null_label), y)
    return F.mse_loss(model(q_sample(x0, t, noise, alphas_cumprod), t, y_in), noise)
''',
    "F.l1_loss instead of the squared error": '''
def diffusion_loss(model, x0, y, alphas_cumprod, p_uncond=0.1, null_label=10, generator=None):
    B, T = x0.shape[0], len(alphas_cumprod)
    t = torch.randint(0, T, (B,), generator=generator).to(x0.device)
    noise = torch.randn(x0.shape, generator=generator, dtype=x0.dtype).to(x0.device)
    drop = (torch.rand(B, generator=generator) < p_uncond).to(x0.device)
    y_in = torch.where(drop, torch.full_like(y, null_label), y)
    return F.l1_loss(model(q_sample(x0, t, noise, alphas_cumprod), t, y_in), noise)
''',
    "t from randint(0, T - 1): never the last step": '''
def diffusion_loss(model, x0, y, alphas_cumprod, p_uncond=0.1, null_label=10, generator=None):
    B, T = x0.shape[0], len(alphas_cumprod)
    t = torch.randint(0, T - 1, (B,), generator=generator).to(x0.device)
    noise = torch.randn(x0.shape, generator=generator, dtype=x0.dtype).to(x0.device)
    drop = (torch.rand(B, generator=generator) < p_uncond).to(x0.device)
    y_in = torch.where(drop, torch.full_like(y, null_label), y)
    return F.mse_loss(model(q_sample(x0, t, noise, alphas_cumprod), t, y_in), noise)
''',
    "null label 10 hard-coded (null_label ignored)": '''
def diffusion_loss(model, x0, y, alphas_cumprod, p_uncond=0.1, null_label=10, generator=None):
    B, T = x0.shape[0], len(alphas_cumprod)
    t = torch.randint(0, T, (B,), generator=generator).to(x0.device)
    noise = torch.randn(x0.shape, generator=generator, dtype=x0.dtype).to(x0.device)
    drop = (torch.rand(B, generator=generator) < p_uncond).to(x0.device)
    y_in = torch.where(drop, torch.full_like(y, 10), y)
    return F.mse_loss(model(q_sample(x0, t, noise, alphas_cumprod), t, y_in), noise)
''',
    "loss computed in float32": '''
def diffusion_loss(model, x0, y, alphas_cumprod, p_uncond=0.1, null_label=10, generator=None):
    B, T = x0.shape[0], len(alphas_cumprod)
    t = torch.randint(0, T, (B,), generator=generator).to(x0.device)
    noise = torch.randn(x0.shape, generator=generator, dtype=x0.dtype).to(x0.device)
    drop = (torch.rand(B, generator=generator) < p_uncond).to(x0.device)
    y_in = torch.where(drop, torch.full_like(y, null_label), y)
    return F.mse_loss(model(q_sample(x0, t, noise, alphas_cumprod), t, y_in).float(), noise.float())
''',
})
WRONG.setdefault("classifier_free_guidance", {}).update({
    "w clamped to at least 1": '''
def classifier_free_guidance(eps_cond, eps_uncond, w):
    w = max(w, 1.0)
    return eps_uncond + w * (eps_cond - eps_uncond)
''',
    "eps_cond detached": '''
def classifier_free_guidance(eps_cond, eps_uncond, w):
    return eps_uncond + w * (eps_cond.detach() - eps_uncond)
''',
})
WRONG.setdefault("answer_2_3", {}).update({
    "the cosine schedule's index": "def answer_2_3():\n    return 496\n",
    "a numpy integer": "def answer_2_3():\n    return np.int64(259)\n",
})
WRONG.setdefault("answer_3_3", {}).update({
    "c with a full stop": 'def answer_3_3():\n    return "c."\n',
})
RIGHT.setdefault("noise_schedules", {}).update({
    "the ratio clamped from below at 1 - max_beta": '''
def linear_betas(T, beta_start, beta_end):
    step = (beta_end - beta_start) / max(T - 1, 1)
    return (beta_start + step * torch.arange(T, dtype=torch.float64)).float()


def cosine_betas(T, s=0.008, max_beta=0.999):
    u = torch.arange(T + 1, dtype=torch.float64).div(T)
    f = torch.cos((u + s) / (1 + s) * (math.pi / 2)).square()
    return (1 - (f[1:] / f[:-1]).clamp(min=1 - max_beta)).to(torch.float32)
''',
})
RIGHT.setdefault("q_sample", {}).update({
    "one example at a time, stacked": '''
def q_sample(x0, t, noise, alphas_cumprod):
    rows = [alphas_cumprod[t[b]].sqrt() * x0[b] + (1 - alphas_cumprod[t[b]]).sqrt() * noise[b] for b in range(len(x0))]
    return torch.stack(rows)
''',
})
RIGHT.setdefault("ddpm_step", {}).update({
    "abar_t as a product of alphas[: t + 1]": '''
def ddpm_step(eps_pred, t, x_t, betas, noise):
    alphas = 1 - betas
    abar_t = torch.prod(alphas[: t + 1])
    mean = (x_t - betas[t] / torch.sqrt(1 - abar_t) * eps_pred) / torch.sqrt(alphas[t])
    if t == 0:
        return mean
    abar_prev = torch.prod(alphas[:t])
    return mean + torch.sqrt((1 - abar_prev) / (1 - abar_t) * betas[t]) * noise
''',
})
RIGHT.setdefault("ddim_step", {}).update({
    "z from torch.randn with x_t's shape, dtype and device": '''
def ddim_step(eps_pred, t, t_prev, x_t, alphas_cumprod, eta=0.0):
    a_t = alphas_cumprod[t]
    a_p = alphas_cumprod[t_prev] if t_prev >= 0 else torch.ones_like(a_t)
    x0 = (x_t - (1 - a_t).sqrt() * eps_pred) / a_t.sqrt()
    var = eta ** 2 * (1 - a_p) / (1 - a_t) * (1 - a_t / a_p)
    out = a_p.sqrt() * x0 + (1 - a_p - var).sqrt() * eps_pred
    if eta > 0:
        out = out + var.sqrt() * torch.randn(x_t.shape, dtype=x_t.dtype, device=x_t.device)
    return out
''',
})
RIGHT.setdefault("diffusion_loss", {}).update({
    "t as floor(U * T), labels by arithmetic": '''
def diffusion_loss(model, x0, y, alphas_cumprod, p_uncond=0.1, null_label=10, generator=None):
    B, T = len(x0), len(alphas_cumprod)
    t = (torch.rand(B, generator=generator, dtype=torch.float64) * T).long().to(x0.device)
    noise = torch.randn(x0.shape, generator=generator, dtype=x0.dtype).to(x0.device)
    drop = (torch.rand(B, generator=generator) < p_uncond).long().to(x0.device)
    y_in = y * (1 - drop) + null_label * drop
    return (model(q_sample(x0, t, noise, alphas_cumprod), t, y_in) - noise).pow(2).mean()
''',
})
RIGHT.setdefault("classifier_free_guidance", {}).update({
    "from the conditional side: cond + (w - 1) (cond - uncond)": '''
def classifier_free_guidance(eps_cond, eps_uncond, w):
    return eps_cond + (w - 1) * (eps_cond - eps_uncond)
''',
})
WARNED["noise_schedules"] += ["cosine: the ratio rounded to float32 before 1 - ratio",
                              "cosine: betas_for_alpha_bar of another diffusers scheduler (off limits)",
                              "linear: PNDMScheduler's betas (a diffusers scheduler, off limits)"]
WARNED["q_sample"] += ["DDPMParallelScheduler.add_noise (a diffusers scheduler, off limits)"]
WARNED["ddpm_step"] += ["DDPMParallelScheduler.step (a diffusers scheduler, off limits)"]
WARNED["ddim_step"] += ["DDIMParallelScheduler.step (a diffusers scheduler, off limits)"]

# ---- device slips that need values to show (coursekit.valued_meta) ----
WRONG["diffusion_loss"].update({
    "noise drawn on x0's device with the CPU generator (fails on a GPU)": '''
def diffusion_loss(model, x0, y, alphas_cumprod, p_uncond=0.1, null_label=10, generator=None):
    B, T = x0.shape[0], len(alphas_cumprod)
    t = torch.randint(0, T, (B,), generator=generator).to(x0.device)
    noise = torch.randn(x0.shape, generator=generator, dtype=x0.dtype, device=x0.device)
    drop = (torch.rand(B, generator=generator) < p_uncond).to(x0.device)
    y_in = torch.where(drop, torch.full_like(y, null_label), y)
    x_t = q_sample(x0, t, noise, alphas_cumprod)
    return F.mse_loss(model(x_t, t, y_in), noise)
''',
})

# ---- red team, round 5 ----
WRONG["q_sample"].update({
    "computed in float64 and returned so": '''
def q_sample(x0, t, noise, alphas_cumprod):
    abar = alphas_cumprod[t].double().reshape(-1, *([1] * (x0.dim() - 1)))
    return abar.sqrt() * x0.double() + (1 - abar).sqrt() * noise.double()
''',
})
WRONG["ddpm_step"].update({
    "t = 0 through abar_prev = 1: a zero sigma still times the noise": '''
def ddpm_step(eps_pred, t, x_t, betas, noise):
    alphas = 1 - betas
    abar = torch.cumprod(alphas, 0)
    abar_prev = abar[t - 1] if t > 0 else torch.ones_like(abar[t])
    mean = (x_t - betas[t] / (1 - abar[t]).sqrt() * eps_pred) / alphas[t].sqrt()
    return mean + ((1 - abar_prev) / (1 - abar[t]) * betas[t]).sqrt() * noise
''',
    "posterior variance with beta_{t-1}": '''
def ddpm_step(eps_pred, t, x_t, betas, noise):
    alphas = 1 - betas
    abar = torch.cumprod(alphas, 0)
    mean = (x_t - betas[t] / (1 - abar[t]).sqrt() * eps_pred) / alphas[t].sqrt()
    if t == 0:
        return mean
    return mean + ((1 - abar[t - 1]) / (1 - abar[t]) * betas[t - 1]).sqrt() * noise
''',
})
WRONG["ddim_step"].update({
    "eta > 0: one z for the whole batch": '''
def ddim_step(eps_pred, t, t_prev, x_t, alphas_cumprod, eta=0.0):
    abar_t = alphas_cumprod[t]
    abar_prev = alphas_cumprod[t_prev] if t_prev >= 0 else torch.ones_like(abar_t)
    x0_hat = (x_t - (1 - abar_t).sqrt() * eps_pred) / abar_t.sqrt()
    sigma = eta * ((1 - abar_prev) / (1 - abar_t) * (1 - abar_t / abar_prev)).sqrt()
    x_prev = abar_prev.sqrt() * x0_hat + (1 - abar_prev - sigma ** 2).sqrt() * eps_pred
    if eta > 0:
        x_prev = x_prev + sigma * torch.randn_like(x_t[:1])
    return x_prev
''',
    "eta > 0: direction sqrt(1 - abar_prev) - sigma": '''
def ddim_step(eps_pred, t, t_prev, x_t, alphas_cumprod, eta=0.0):
    abar_t = alphas_cumprod[t]
    abar_prev = alphas_cumprod[t_prev] if t_prev >= 0 else torch.ones_like(abar_t)
    x0_hat = (x_t - (1 - abar_t).sqrt() * eps_pred) / abar_t.sqrt()
    sigma = eta * ((1 - abar_prev) / (1 - abar_t) * (1 - abar_t / abar_prev)).sqrt()
    x_prev = abar_prev.sqrt() * x0_hat + ((1 - abar_prev).sqrt() - sigma) * eps_pred
    if eta > 0:
        x_prev = x_prev + sigma * torch.randn_like(x_t)
    return x_prev
''',
    "t_prev = -1: abar_prev = torch.ones(1), made on the CPU": '''
def ddim_step(eps_pred, t, t_prev, x_t, alphas_cumprod, eta=0.0):
    abar_t = alphas_cumprod[t]
    abar_prev = alphas_cumprod[t_prev] if t_prev >= 0 else torch.ones(1, dtype=alphas_cumprod.dtype)
    x0_hat = (x_t - (1 - abar_t).sqrt() * eps_pred) / abar_t.sqrt()
    sigma = eta * ((1 - abar_prev) / (1 - abar_t) * (1 - abar_t / abar_prev)).sqrt()
    x_prev = abar_prev.sqrt() * x0_hat + (1 - abar_prev - sigma ** 2).sqrt() * eps_pred
    if eta > 0:
        x_prev = x_prev + sigma * torch.randn_like(x_t)
    return x_prev
''',
    "eta > 0: z uniform (torch.rand_like)": '''
def ddim_step(eps_pred, t, t_prev, x_t, alphas_cumprod, eta=0.0):
    abar_t = alphas_cumprod[t]
    abar_prev = alphas_cumprod[t_prev] if t_prev >= 0 else torch.ones_like(abar_t)
    x0_hat = (x_t - (1 - abar_t).sqrt() * eps_pred) / abar_t.sqrt()
    sigma = eta * ((1 - abar_prev) / (1 - abar_t) * (1 - abar_t / abar_prev)).sqrt()
    x_prev = abar_prev.sqrt() * x0_hat + (1 - abar_prev - sigma ** 2).sqrt() * eps_pred
    if eta > 0:
        x_prev = x_prev + sigma * torch.rand_like(x_t)
    return x_prev
''',
})
WRONG["diffusion_loss"].update({
    "t from (rand * T).int(): int32 steps": '''
def diffusion_loss(model, x0, y, alphas_cumprod, p_uncond=0.1, null_label=10, generator=None):
    B, T = x0.shape[0], len(alphas_cumprod)
    t = (torch.rand(B, generator=generator) * T).int().to(x0.device)
    noise = torch.randn(x0.shape, generator=generator, dtype=x0.dtype).to(x0.device)
    drop = (torch.rand(B, generator=generator) < p_uncond).to(x0.device)
    y_in = torch.where(drop, torch.full_like(y, null_label), y)
    return F.mse_loss(model(q_sample(x0, t, noise, alphas_cumprod), t, y_in), noise)
''',
    "labels mixed with a float mask: float labels": '''
def diffusion_loss(model, x0, y, alphas_cumprod, p_uncond=0.1, null_label=10, generator=None):
    B, T = x0.shape[0], len(alphas_cumprod)
    t = torch.randint(0, T, (B,), generator=generator).to(x0.device)
    noise = torch.randn(x0.shape, generator=generator, dtype=x0.dtype).to(x0.device)
    drop = (torch.rand(B, generator=generator) < p_uncond).float().to(x0.device)
    y_in = y * (1 - drop) + null_label * drop
    return F.mse_loss(model(q_sample(x0, t, noise, alphas_cumprod), t, y_in), noise)
''',
    "t = round(rand * (T - 1)): the end steps half as likely": '''
def diffusion_loss(model, x0, y, alphas_cumprod, p_uncond=0.1, null_label=10, generator=None):
    B, T = x0.shape[0], len(alphas_cumprod)
    t = (torch.rand(B, generator=generator) * (T - 1)).round().long().to(x0.device)
    noise = torch.randn(x0.shape, generator=generator, dtype=x0.dtype).to(x0.device)
    drop = (torch.rand(B, generator=generator) < p_uncond).to(x0.device)
    y_in = torch.where(drop, torch.full_like(y, null_label), y)
    return F.mse_loss(model(q_sample(x0, t, noise, alphas_cumprod), t, y_in), noise)
''',
    "drop mask [B, 1] (copied from a caption loss): labels [B, B]": '''
def diffusion_loss(model, x0, y, alphas_cumprod, p_uncond=0.1, null_label=10, generator=None):
    B, T = x0.shape[0], len(alphas_cumprod)
    t = torch.randint(0, T, (B,), generator=generator).to(x0.device)
    noise = torch.randn(x0.shape, generator=generator, dtype=x0.dtype).to(x0.device)
    drop = (torch.rand(B, generator=generator) < p_uncond).to(x0.device)[:, None]
    y_in = torch.where(drop, torch.full_like(y, null_label), y)
    return F.mse_loss(model(q_sample(x0, t, noise, alphas_cumprod), t, y_in), noise)
''',
})
WRONG["classifier_free_guidance"].update({
    "computed in float64 and returned so": '''
def classifier_free_guidance(eps_cond, eps_uncond, w):
    return eps_uncond.double() + w * (eps_cond.double() - eps_uncond.double())
''',
    "rescaled to the conditional estimate's std": '''
def classifier_free_guidance(eps_cond, eps_uncond, w):
    guided = eps_uncond + w * (eps_cond - eps_uncond)
    return guided * (eps_cond.std() / guided.std())
''',
})
RIGHT["noise_schedules"].update({
    "cast to float32, then clipped": '''
def linear_betas(T, beta_start, beta_end):
    return torch.linspace(beta_start, beta_end, T).to(torch.float32)


def cosine_betas(T, s=0.008, max_beta=0.999):
    u = torch.arange(T + 1, dtype=torch.float64) / T
    f = torch.cos((u + s) / (1 + s) * (math.pi / 2)) ** 2
    return (1 - f[1:] / f[:-1]).float().clamp(max=max_beta)
''',
})
RIGHT["q_sample"].update({
    "torch.addcmul with unsqueezed factors": '''
def q_sample(x0, t, noise, alphas_cumprod):
    a = alphas_cumprod[t]
    for _ in range(x0.dim() - 1):
        a = a.unsqueeze(-1)
    return torch.addcmul(a.sqrt() * x0, (1 - a).sqrt(), noise)
''',
})
RIGHT["ddpm_step"].update({
    "abar_{t-1} as abar_t / alpha_t": '''
def ddpm_step(eps_pred, t, x_t, betas, noise):
    alphas = 1 - betas
    abar_t = torch.cumprod(alphas, 0)[t]
    mean = (x_t - betas[t] / (1 - abar_t).sqrt() * eps_pred) / alphas[t].sqrt()
    if t == 0:
        return mean
    abar_prev = abar_t / alphas[t]
    return mean + ((1 - abar_prev) / (1 - abar_t) * betas[t]).sqrt() * noise
''',
})
RIGHT["diffusion_loss"].update({
    "generator None replaced by torch.default_generator": '''
def diffusion_loss(model, x0, y, alphas_cumprod, p_uncond=0.1, null_label=10, generator=None):
    g = torch.default_generator if generator is None else generator
    B, T = x0.shape[0], len(alphas_cumprod)
    t = torch.randint(0, T, (B,), generator=g).to(x0.device)
    noise = torch.randn(x0.shape, generator=g, dtype=x0.dtype).to(x0.device)
    drop = (torch.rand(B, generator=g) < p_uncond).to(x0.device)
    y_in = y.clone()
    y_in[drop] = null_label
    return F.mse_loss(model(q_sample(x0, t, noise, alphas_cumprod), t, y_in), noise, reduction="sum") / x0.numel()
''',
})
RIGHT["classifier_free_guidance"].update({
    "torch.add with alpha=w": '''
def classifier_free_guidance(eps_cond, eps_uncond, w):
    return torch.add(eps_uncond, eps_cond - eps_uncond, alpha=w)
''',
})

# ---- red team, round 6 (2026-12-03) ----
WRONG.setdefault("diffusion_loss", {}).update({
    "one uniform per example for both t and the drop (dropped labels only at small t)": '''
def diffusion_loss(model, x0, y, alphas_cumprod, p_uncond=0.1, null_label=10, generator=None):
    B, T = x0.shape[0], len(alphas_cumprod)
    u = torch.rand(B, generator=generator)
    t = (u * T).long().clamp(max=T - 1).to(x0.device)
    drop = (u < p_uncond).to(x0.device)
    noise = torch.randn(x0.shape, generator=generator, dtype=x0.dtype).to(x0.device)
    y_in = torch.where(drop, torch.full_like(y, null_label), y)
    return F.mse_loss(model(q_sample(x0, t, noise, alphas_cumprod), t, y_in), noise)
''',
    "exactly round(p_uncond * B) labels dropped (a random subset, not independent drops)": '''
def diffusion_loss(model, x0, y, alphas_cumprod, p_uncond=0.1, null_label=10, generator=None):
    B, T = x0.shape[0], len(alphas_cumprod)
    t = torch.randint(0, T, (B,), generator=generator).to(x0.device)
    noise = torch.randn(x0.shape, generator=generator, dtype=x0.dtype).to(x0.device)
    n_drop = int(round(p_uncond * B))
    drop = torch.zeros(B, dtype=torch.bool)
    drop[torch.randperm(B, generator=generator)[:n_drop]] = True
    y_in = torch.where(drop.to(x0.device), torch.full_like(y, null_label), y)
    return F.mse_loss(model(q_sample(x0, t, noise, alphas_cumprod), t, y_in), noise)
''',
    "one drop decision for the whole batch": '''
def diffusion_loss(model, x0, y, alphas_cumprod, p_uncond=0.1, null_label=10, generator=None):
    B, T = x0.shape[0], len(alphas_cumprod)
    t = torch.randint(0, T, (B,), generator=generator).to(x0.device)
    noise = torch.randn(x0.shape, generator=generator, dtype=x0.dtype).to(x0.device)
    if torch.rand(1, generator=generator).item() < p_uncond:
        y = torch.full_like(y, null_label)
    return F.mse_loss(model(q_sample(x0, t, noise, alphas_cumprod), t, y), noise)
''',
    "the drop uniforms reused from the first noise value of each example": '''
def diffusion_loss(model, x0, y, alphas_cumprod, p_uncond=0.1, null_label=10, generator=None):
    B, T = x0.shape[0], len(alphas_cumprod)
    t = torch.randint(0, T, (B,), generator=generator).to(x0.device)
    noise = torch.randn(x0.shape, generator=generator, dtype=x0.dtype).to(x0.device)
    u = 0.5 * (1 + torch.erf(noise.reshape(B, -1)[:, 0] / 2 ** 0.5))     # uniform from a standard normal
    y_in = torch.where(u < p_uncond, torch.full_like(y, null_label), y)
    return F.mse_loss(model(q_sample(x0, t, noise, alphas_cumprod), t, y_in), noise)
''',
})
WRONG.setdefault("classifier_free_guidance", {}).update({
    "w made a tensor with torch.tensor(w) (float32)": '''
def classifier_free_guidance(eps_cond, eps_uncond, w):
    w = torch.tensor(w)
    return eps_uncond + w * (eps_cond - eps_uncond)
''',
})
WRONG.setdefault("ddim_step", {}).update({
    "eta > 0: sigma without its first factor (sqrt(1 - abar_t / abar_prev) only)": '''
def ddim_step(eps_pred, t, t_prev, x_t, alphas_cumprod, eta=0.0):
    abar_t = alphas_cumprod[t]
    abar_prev = alphas_cumprod[t_prev] if t_prev >= 0 else torch.ones_like(abar_t)
    x0_hat = (x_t - (1 - abar_t).sqrt() * eps_pred) / abar_t.sqrt()
    sigma = eta * (1 - abar_t / abar_prev).sqrt()
    x_prev = abar_prev.sqrt() * x0_hat + (1 - abar_prev - sigma ** 2).clamp(min=0).sqrt() * eps_pred
    if eta > 0:
        x_prev = x_prev + sigma * torch.randn_like(x_t)
    return x_prev
''',
})
WRONG.setdefault("ddpm_step", {}).update({
    "noise scaled by sqrt(beta_tilde) with abar_{t-1} read as abar[t] - beta[t] (a difference, not a ratio)": '''
def ddpm_step(eps_pred, t, x_t, betas, noise):
    alphas = 1 - betas
    abar = torch.cumprod(alphas, 0)
    mean = (x_t - betas[t] / (1 - abar[t]).sqrt() * eps_pred) / alphas[t].sqrt()
    if t == 0:
        return mean
    abar_prev = abar[t] + betas[t]
    return mean + ((1 - abar_prev) / (1 - abar[t]) * betas[t]).clamp(min=0).sqrt() * noise
''',
})
WRONG.setdefault("q_sample", {}).update({
    "abar reshaped with unsqueeze(-1) three times (vectors get [B, 1, 1, 1])": '''
def q_sample(x0, t, noise, alphas_cumprod):
    abar = alphas_cumprod[t].unsqueeze(-1).unsqueeze(-1).unsqueeze(-1)
    return abar.sqrt() * x0 + (1 - abar).sqrt() * noise
''',
})

RIGHT.setdefault("ddim_step", {}).update({
    "a 1 appended after the last alphas_cumprod, so that index -1 reads it": '''
def ddim_step(eps_pred, t, t_prev, x_t, alphas_cumprod, eta=0.0):
    ab = torch.cat([alphas_cumprod, alphas_cumprod.new_ones(1)])
    a_t, a_p = ab[t], ab[t_prev]
    x0_hat = (x_t - torch.sqrt(1 - a_t) * eps_pred) / torch.sqrt(a_t)
    sigma = eta * torch.sqrt((1 - a_p) / (1 - a_t)) * torch.sqrt(1 - a_t / a_p)
    out = torch.sqrt(a_p) * x0_hat + torch.sqrt((1 - a_p - sigma ** 2).clamp(min=0)) * eps_pred
    if eta > 0:
        out = out + sigma * torch.randn_like(x_t)
    return out
''',
})
RIGHT.setdefault("ddpm_step", {}).update({
    "abar by exp(cumsum(log1p(-beta)))": '''
def ddpm_step(eps_pred, t, x_t, betas, noise):
    abar = torch.exp(torch.cumsum(torch.log1p(-betas), 0))
    beta_t, abar_t = betas[t], abar[t]
    mean = (x_t - beta_t / torch.sqrt(1 - abar_t) * eps_pred) / torch.sqrt(1 - beta_t)
    if t > 0:
        mean = mean + torch.sqrt((1 - abar[t - 1]) / (1 - abar_t) * beta_t) * noise
    return mean
''',
})
RIGHT.setdefault("noise_schedules", {}).update({
    "cosine from a float64 linspace of u": '''
def linear_betas(T, beta_start, beta_end):
    return torch.linspace(beta_start, beta_end, T, dtype=torch.float64).float()


def cosine_betas(T, s=0.008, max_beta=0.999):
    u = torch.linspace(0, 1, T + 1, dtype=torch.float64)
    f = torch.cos((u + s) / (1 + s) * math.pi / 2).pow(2)
    return torch.minimum(1 - f[1:] / f[:-1], torch.tensor(max_beta, dtype=torch.float64)).to(torch.float32)
''',
})

# red team rt7/g 2026-12-04
WRONG.setdefault("ddim_step", {}).update({
    "eta > 0: one z per example, shared by all its entries (randn(B, 1, ...))": '''
def ddim_step(eps_pred, t, t_prev, x_t, alphas_cumprod, eta=0.0):
    abar_t = alphas_cumprod[t]
    abar_prev = alphas_cumprod[t_prev] if t_prev >= 0 else torch.ones_like(abar_t)
    x0_hat = (x_t - (1 - abar_t).sqrt() * eps_pred) / abar_t.sqrt()
    sigma = eta * ((1 - abar_prev) / (1 - abar_t) * (1 - abar_t / abar_prev)).sqrt()
    x_prev = abar_prev.sqrt() * x0_hat + (1 - abar_prev - sigma ** 2).sqrt() * eps_pred
    if eta > 0:
        z = torch.randn((x_t.shape[0],) + (1,) * (x_t.dim() - 1), dtype=x_t.dtype, device=x_t.device)
        x_prev = x_prev + sigma * z
    return x_prev
''',
    "eta > 0: z drawn for one channel and shared by the channels (randn_like(x_t[:, :1]))": '''
def ddim_step(eps_pred, t, t_prev, x_t, alphas_cumprod, eta=0.0):
    abar_t = alphas_cumprod[t]
    abar_prev = alphas_cumprod[t_prev] if t_prev >= 0 else torch.ones_like(abar_t)
    x0_hat = (x_t - (1 - abar_t).sqrt() * eps_pred) / abar_t.sqrt()
    sigma = eta * ((1 - abar_prev) / (1 - abar_t) * (1 - abar_t / abar_prev)).sqrt()
    x_prev = abar_prev.sqrt() * x0_hat + (1 - abar_prev - sigma ** 2).sqrt() * eps_pred
    if eta > 0:
        x_prev = x_prev + sigma * torch.randn_like(x_t[:, :1])
    return x_prev
''',
    "eta > 0: sigma indexes alphas_cumprod[t_prev] directly (t_prev = -1 reads the last entry)": '''
def ddim_step(eps_pred, t, t_prev, x_t, alphas_cumprod, eta=0.0):
    abar_t = alphas_cumprod[t]
    abar_prev = alphas_cumprod[t_prev] if t_prev >= 0 else torch.ones_like(abar_t)
    x0_hat = (x_t - (1 - abar_t).sqrt() * eps_pred) / abar_t.sqrt()
    if eta > 0:
        a_p = alphas_cumprod[t_prev]
        sigma = eta * ((1 - a_p) / (1 - abar_t)).sqrt() * (1 - abar_t / a_p).sqrt()
        return (abar_prev.sqrt() * x0_hat + (1 - abar_prev - sigma ** 2).sqrt() * eps_pred
                + sigma * torch.randn_like(x_t))
    return abar_prev.sqrt() * x0_hat + (1 - abar_prev).sqrt() * eps_pred
''',
})
WRONG.setdefault("classifier_free_guidance", {}).update({
    "w as a [1] tensor made on the CPU (fails on a GPU)": '''
def classifier_free_guidance(eps_cond, eps_uncond, w):
    w = torch.full((1,), float(w), dtype=eps_cond.dtype)
    return eps_uncond + w * (eps_cond - eps_uncond)
''',
    "torch.lerp with w made a tensor (torch.tensor(w), float32)": '''
def classifier_free_guidance(eps_cond, eps_uncond, w):
    return torch.lerp(eps_uncond, eps_cond, torch.tensor(w))
''',
})
WRONG.setdefault("ddpm_step", {}).update({
    "noise scaled in place (noise.mul_)": '''
def ddpm_step(eps_pred, t, x_t, betas, noise):
    alphas = 1 - betas
    abar = torch.cumprod(alphas, 0)
    mean = (x_t - betas[t] / (1 - abar[t]).sqrt() * eps_pred) / alphas[t].sqrt()
    if t == 0:
        return mean
    return mean + noise.mul_(((1 - abar[t - 1]) / (1 - abar[t]) * betas[t]).sqrt())
''',
})
WRONG.setdefault("q_sample", {}).update({
    "noise scaled in place (noise.mul_)": '''
def q_sample(x0, t, noise, alphas_cumprod):
    abar = alphas_cumprod[t].reshape(-1, *([1] * (x0.dim() - 1)))
    return abar.sqrt() * x0 + noise.mul_((1 - abar).sqrt())
''',
})
WRONG.setdefault("diffusion_loss", {}).update({
    "t from torch.multinomial without replacement": '''
def diffusion_loss(model, x0, y, alphas_cumprod, p_uncond=0.1, null_label=10, generator=None):
    B, T = x0.shape[0], len(alphas_cumprod)
    t = torch.multinomial(torch.ones(T), B, generator=generator).to(x0.device)
    noise = torch.randn(x0.shape, generator=generator, dtype=x0.dtype).to(x0.device)
    drop = (torch.rand(B, generator=generator) < p_uncond).to(x0.device)
    y_in = torch.where(drop, torch.full_like(y, null_label), y)
    return F.mse_loss(model(q_sample(x0, t, noise, alphas_cumprod), t, y_in), noise)
''',
})
RIGHT.setdefault("diffusion_loss", {}).update({
    "t by torch.multinomial with replacement, labels by masked_fill": '''
def diffusion_loss(model, x0, y, alphas_cumprod, p_uncond=0.1, null_label=10, generator=None):
    B, T = x0.shape[0], alphas_cumprod.shape[0]
    t = torch.multinomial(torch.ones(T), B, replacement=True, generator=generator).to(x0.device)
    noise = torch.randn(x0.shape, generator=generator, dtype=x0.dtype).to(x0.device)
    drop = (torch.rand(B, generator=generator) < p_uncond).to(x0.device)
    x_t = q_sample(x0, t, noise, alphas_cumprod)
    return ((model(x_t, t, y.masked_fill(drop, null_label)) - noise) ** 2).mean()
''',
})
RIGHT.setdefault("ddpm_step", {}).update({
    "posterior variance clamped at 1e-20, as diffusers does": '''
def ddpm_step(eps_pred, t, x_t, betas, noise):
    alphas = 1 - betas
    abar = torch.cumprod(alphas, 0)
    abar_prev = abar[t - 1] if t > 0 else torch.ones_like(abar[t])
    mean = (x_t - betas[t] / (1 - abar[t]).sqrt() * eps_pred) / alphas[t].sqrt()
    if t > 0:
        var = torch.clamp((1 - abar_prev) / (1 - abar[t]) * betas[t], min=1e-20)
        mean = mean + var ** 0.5 * noise
    return mean
''',
})

# ---- red-team pass 9 (rt9/h) ----
WRONG.setdefault("noise_schedules", {}).update({
    "cosine with a floor of 1e-8 on the betas": '''
def linear_betas(T, beta_start, beta_end):
    return torch.linspace(beta_start, beta_end, T, dtype=torch.float32)


def cosine_betas(T, s=0.008, max_beta=0.999):
    u = torch.arange(T + 1, dtype=torch.float64) / T
    f = torch.cos((u + s) / (1 + s) * (math.pi / 2)) ** 2
    return (1 - f[1:] / f[:-1]).clamp(min=1e-8, max=max_beta).float()
''',
})
WRONG.setdefault("ddpm_step", {}).update({
    "eps coefficient sqrt(1 - alpha_t) instead of beta_t / sqrt(1 - abar_t)": '''
def ddpm_step(eps_pred, t, x_t, betas, noise):
    alphas = 1 - betas
    abar = torch.cumprod(alphas, 0)
    mean = (x_t - (1 - alphas[t]).sqrt() * eps_pred) / alphas[t].sqrt()
    if t == 0:
        return mean
    var = (1 - abar[t - 1]) / (1 - abar[t]) * betas[t]
    return mean + var.sqrt() * noise
''',
})
WRONG.setdefault("ddim_step", {}).update({
    "eta squared in sigma (eta ** 2 * ...: right only for eta = 0 and 1)": '''
def ddim_step(eps_pred, t, t_prev, x_t, alphas_cumprod, eta=0.0):
    abar_t = alphas_cumprod[t]
    abar_prev = alphas_cumprod[t_prev] if t_prev >= 0 else torch.ones_like(abar_t)
    x0_hat = (x_t - (1 - abar_t).sqrt() * eps_pred) / abar_t.sqrt()
    sigma = eta ** 2 * ((1 - abar_prev) / (1 - abar_t) * (1 - abar_t / abar_prev)).sqrt()
    x_prev = abar_prev.sqrt() * x0_hat + (1 - abar_prev - sigma ** 2).sqrt() * eps_pred
    if eta > 0:
        x_prev = x_prev + sigma * torch.randn_like(x_t)
    return x_prev
''',
})
WRONG.setdefault("diffusion_loss", {}).update({
    "t passed to the model as float (t.float())": '''
def diffusion_loss(model, x0, y, alphas_cumprod, p_uncond=0.1, null_label=10, generator=None):
    B, T = x0.shape[0], len(alphas_cumprod)
    t = torch.randint(0, T, (B,), generator=generator).to(x0.device)
    noise = torch.randn(x0.shape, generator=generator, dtype=x0.dtype).to(x0.device)
    drop = (torch.rand(B, generator=generator) < p_uncond).to(x0.device)
    y_in = torch.where(drop, torch.full_like(y, null_label), y)
    x_t = q_sample(x0, t, noise, alphas_cumprod)
    return F.mse_loss(model(x_t, t.float(), y_in), noise)
''',
    "per-example losses weighted by min(SNR, 5) / SNR (Min-SNR)": '''
def diffusion_loss(model, x0, y, alphas_cumprod, p_uncond=0.1, null_label=10, generator=None):
    B, T = x0.shape[0], len(alphas_cumprod)
    t = torch.randint(0, T, (B,), generator=generator).to(x0.device)
    noise = torch.randn(x0.shape, generator=generator, dtype=x0.dtype).to(x0.device)
    drop = (torch.rand(B, generator=generator) < p_uncond).to(x0.device)
    y_in = torch.where(drop, torch.full_like(y, null_label), y)
    x_t = q_sample(x0, t, noise, alphas_cumprod)
    per = ((model(x_t, t, y_in) - noise) ** 2).flatten(1).mean(1)
    snr = alphas_cumprod[t] / (1 - alphas_cumprod[t])
    return (per * snr.clamp(max=5.0) / snr).mean()
''',
})
RIGHT.setdefault("ddim_step", {}).update({
    "x_prev as a combination of x_t and eps (x0_hat eliminated)": '''
def ddim_step(eps_pred, t, t_prev, x_t, alphas_cumprod, eta=0.0):
    a_t = alphas_cumprod[t]
    a_p = alphas_cumprod[t_prev] if t_prev >= 0 else alphas_cumprod.new_ones(())
    sigma = eta * ((1 - a_p) / (1 - a_t)).sqrt() * (1 - a_t / a_p).sqrt()
    ratio = (a_p / a_t).sqrt()
    out = ratio * x_t + ((1 - a_p - sigma ** 2).sqrt() - ratio * (1 - a_t).sqrt()) * eps_pred
    if eta > 0:
        out = out + sigma * torch.randn_like(x_t)
    return out
''',
})

# ---- red-team pass 10 (h) ----
WRONG.setdefault("diffusion_loss", {}).update({
    "noise truncated to [-3, 3] for stability": '''
def diffusion_loss(model, x0, y, alphas_cumprod, p_uncond=0.1, null_label=10, generator=None):
    B, T = x0.shape[0], len(alphas_cumprod)
    t = torch.randint(0, T, (B,), generator=generator).to(x0.device)
    noise = torch.randn(x0.shape, generator=generator, dtype=x0.dtype).clamp(-3.0, 3.0).to(x0.device)
    drop = (torch.rand(B, generator=generator) < p_uncond).to(x0.device)
    y_in = torch.where(drop, torch.full_like(y, null_label), y)
    x_t = q_sample(x0, t, noise, alphas_cumprod)
    return F.mse_loss(model(x_t, t, y_in), noise)
''',
    "noise standardised over the batch (exactly mean 0, std 1)": '''
def diffusion_loss(model, x0, y, alphas_cumprod, p_uncond=0.1, null_label=10, generator=None):
    B, T = x0.shape[0], len(alphas_cumprod)
    t = torch.randint(0, T, (B,), generator=generator).to(x0.device)
    noise = torch.randn(x0.shape, generator=generator, dtype=x0.dtype).to(x0.device)
    noise = (noise - noise.mean()) / noise.std()
    drop = (torch.rand(B, generator=generator) < p_uncond).to(x0.device)
    y_in = torch.where(drop, torch.full_like(y, null_label), y)
    x_t = q_sample(x0, t, noise, alphas_cumprod)
    return F.mse_loss(model(x_t, t, y_in), noise)
''',
})
WRONG.setdefault("ddpm_step", {}).update({
    "abar_{t-1} as abar_t / alpha_{t-1} (the ratio one step off)": '''
def ddpm_step(eps_pred, t, x_t, betas, noise):
    alphas = 1 - betas
    abar = torch.cumprod(alphas, 0)
    mean = (x_t - betas[t] / (1 - abar[t]).sqrt() * eps_pred) / alphas[t].sqrt()
    if t == 0:
        return mean
    abar_prev = abar[t] / alphas[t - 1]
    var = (1 - abar_prev) / (1 - abar[t]) * betas[t]
    return mean + var.sqrt() * noise
''',
})
WRONG.setdefault("noise_schedules", {}).update({
    "cosine with pi as 3.14159": '''
def linear_betas(T, beta_start, beta_end):
    return torch.linspace(beta_start, beta_end, T, dtype=torch.float32)


def cosine_betas(T, s=0.008, max_beta=0.999):
    u = torch.arange(T + 1, dtype=torch.float64) / T
    f = torch.cos((u + s) / (1 + s) * (3.14159 / 2)) ** 2
    return (1 - f[1:] / f[:-1]).clamp(max=max_beta).float()
''',
})
RIGHT.setdefault("diffusion_loss", {}).update({
    "drop where U > 1 - p_uncond, labels by masked_fill": '''
def diffusion_loss(model, x0, y, alphas_cumprod, p_uncond=0.1, null_label=10, generator=None):
    B, T = x0.shape[0], len(alphas_cumprod)
    t = torch.randint(0, T, (B,), generator=generator).to(x0.device)
    noise = torch.randn(x0.shape, generator=generator, dtype=x0.dtype).to(x0.device)
    drop = (torch.rand(B, generator=generator) > 1 - p_uncond).to(x0.device)
    y_in = y.masked_fill(drop, null_label)
    x_t = q_sample(x0, t, noise, alphas_cumprod)
    return ((model(x_t, t, y_in) - noise) ** 2).mean()
''',
})

# ---- red-team pass 10 (h), second round ----
WRONG.setdefault("ddim_step", {}).update({
    "eta > 0: z clipped to [-3, 3] for stability": '''
def ddim_step(eps_pred, t, t_prev, x_t, alphas_cumprod, eta=0.0):
    abar_t = alphas_cumprod[t]
    abar_prev = alphas_cumprod[t_prev] if t_prev >= 0 else torch.ones_like(abar_t)
    x0_hat = (x_t - (1 - abar_t).sqrt() * eps_pred) / abar_t.sqrt()
    sigma = eta * ((1 - abar_prev) / (1 - abar_t) * (1 - abar_t / abar_prev)).sqrt()
    x_prev = abar_prev.sqrt() * x0_hat + (1 - abar_prev - sigma ** 2).sqrt() * eps_pred
    if eta > 0:
        x_prev = x_prev + sigma * torch.randn_like(x_t).clamp(-3.0, 3.0)
    return x_prev
''',
    "eta > 0: z standardised over the tensor (exactly mean 0, std 1)": '''
def ddim_step(eps_pred, t, t_prev, x_t, alphas_cumprod, eta=0.0):
    abar_t = alphas_cumprod[t]
    abar_prev = alphas_cumprod[t_prev] if t_prev >= 0 else torch.ones_like(abar_t)
    x0_hat = (x_t - (1 - abar_t).sqrt() * eps_pred) / abar_t.sqrt()
    sigma = eta * ((1 - abar_prev) / (1 - abar_t) * (1 - abar_t / abar_prev)).sqrt()
    x_prev = abar_prev.sqrt() * x0_hat + (1 - abar_prev - sigma ** 2).sqrt() * eps_pred
    if eta > 0:
        z = torch.randn_like(x_t)
        x_prev = x_prev + sigma * (z - z.mean()) / z.std()
    return x_prev
''',
})

# red team 11, 2026-12-04
_DL_HEAD = '''
def diffusion_loss(model, x0, y, alphas_cumprod, p_uncond=0.1, null_label=10, generator=None):
    B, T = x0.shape[0], len(alphas_cumprod)
    t = torch.randint(0, T, (B,), generator=generator).to(x0.device)
    noise = torch.randn(x0.shape, generator=generator, dtype=x0.dtype).to(x0.device)
    drop = (torch.rand(B, generator=generator) < p_uncond).to(x0.device)
    y_in = torch.where(drop, torch.full_like(y, null_label), y)
    pred = model(q_sample(x0, t, noise, alphas_cumprod), t, y_in)
'''
WRONG.setdefault("noise_schedules", {}).update({
    "cosine: betas = 1 - abar((t+1)/T) (one minus the cumulative, not the ratio)": _LINEAR + '''
def cosine_betas(T, s=0.008, max_beta=0.999):
    u = torch.arange(T + 1, dtype=torch.float64) / T
    f = torch.cos((u + s) / (1 + s) * (math.pi / 2)) ** 2
    return (1 - f[1:] / f[0]).clamp(max=max_beta).float()
''',
})
WRONG.setdefault("q_sample", {}).update({
    "alphas_cumprod multiplied up again (cumprod of it, as if it were the alphas)": '''
def q_sample(x0, t, noise, alphas_cumprod):
    abar = torch.cumprod(alphas_cumprod, 0)[t].reshape(-1, *([1] * (x0.dim() - 1)))
    return abar.sqrt() * x0 + (1 - abar).sqrt() * noise
''',
    "noise detached (the gradient reaches x0 only)": '''
def q_sample(x0, t, noise, alphas_cumprod):
    abar = alphas_cumprod[t].reshape(-1, *([1] * (x0.dim() - 1)))
    return abar.sqrt() * x0 + (1 - abar).sqrt() * noise.detach()
''',
})
WRONG.setdefault("answer_2_3", {}).update({
    "the first t with sqrt(abar) < 0.5 (the signal's std, not its variance)": '''
def answer_2_3():
    abar = torch.cumprod(1 - linear_betas(1000, 1e-4, 0.02).double(), 0)
    return int((abar.sqrt() < 0.5).nonzero()[0])
''',
})
WRONG.setdefault("ddpm_step", {}).update({
    "posterior-mean route with abar_{t-1} = abar[t - 1] (t = 0 reads the last entry)": '''
def ddpm_step(eps_pred, t, x_t, betas, noise):
    alphas = 1 - betas
    abar = torch.cumprod(alphas, 0)
    abar_prev = abar[t - 1]
    x0_hat = (x_t - (1 - abar[t]).sqrt() * eps_pred) / abar[t].sqrt()
    mean = (abar_prev.sqrt() * betas[t] * x0_hat + alphas[t].sqrt() * (1 - abar_prev) * x_t) / (1 - abar[t])
    if t == 0:
        return mean
    return mean + ((1 - abar_prev) / (1 - abar[t]) * betas[t]).sqrt() * noise
''',
    "abar_t as the product over s < t (alphas[:t].prod(): one step short)": '''
def ddpm_step(eps_pred, t, x_t, betas, noise):
    alphas = 1 - betas
    abar_t = alphas[:t].prod()
    abar_prev = alphas[:t - 1].prod() if t > 0 else torch.ones_like(abar_t)
    mean = (x_t - betas[t] / (1 - abar_t).sqrt() * eps_pred) / alphas[t].sqrt()
    if t == 0:
        return mean
    return mean + ((1 - abar_prev) / (1 - abar_t) * betas[t]).sqrt() * noise
''',
})
WRONG.setdefault("ddim_step", {}).update({
    "eta > 0: z = torch.randn(x_t.shape, device=x_t.device), float32 whatever x_t's dtype": '''
def ddim_step(eps_pred, t, t_prev, x_t, alphas_cumprod, eta=0.0):
    abar_t = alphas_cumprod[t]
    abar_prev = alphas_cumprod[t_prev] if t_prev >= 0 else torch.ones_like(abar_t)
    x0_hat = (x_t - (1 - abar_t).sqrt() * eps_pred) / abar_t.sqrt()
    sigma = eta * ((1 - abar_prev) / (1 - abar_t) * (1 - abar_t / abar_prev)).sqrt()
    x_prev = abar_prev.sqrt() * x0_hat + (1 - abar_prev - sigma ** 2).sqrt() * eps_pred
    if eta > 0:
        x_prev = x_prev + sigma * torch.randn(x_t.shape, device=x_t.device)
    return x_prev
''',
    "eta > 0: sigma from DDPM's posterior at t (abar_{t-1}), whatever t_prev": '''
def ddim_step(eps_pred, t, t_prev, x_t, alphas_cumprod, eta=0.0):
    abar_t = alphas_cumprod[t]
    abar_prev = alphas_cumprod[t_prev] if t_prev >= 0 else torch.ones_like(abar_t)
    abar_tm1 = alphas_cumprod[t - 1] if t > 0 else torch.ones_like(abar_t)
    x0_hat = (x_t - (1 - abar_t).sqrt() * eps_pred) / abar_t.sqrt()
    sigma = eta * ((1 - abar_tm1) / (1 - abar_t) * (1 - abar_t / abar_tm1)).sqrt()
    x_prev = abar_prev.sqrt() * x0_hat + (1 - abar_prev - sigma ** 2).clamp_min(0).sqrt() * eps_pred
    if eta > 0:
        x_prev = x_prev + sigma * torch.randn_like(x_t)
    return x_prev
''',
})
WRONG.setdefault("diffusion_loss", {}).update({
    "squared error summed over dim 1 (the channels), then the mean": _DL_HEAD + '''
    return ((pred - noise) ** 2).sum(dim=1).mean()
''',
    "mean over dims (1, 2, 3) hard-coded (images only), then over the batch": _DL_HEAD + '''
    return ((pred - noise) ** 2).mean(dim=(1, 2, 3)).mean()
''',
    "draws moved with .to(x0) (t and the mask become x0's float dtype)": '''
def diffusion_loss(model, x0, y, alphas_cumprod, p_uncond=0.1, null_label=10, generator=None):
    B, T = x0.shape[0], len(alphas_cumprod)
    t = torch.randint(0, T, (B,), generator=generator).to(x0)
    noise = torch.randn(x0.shape, generator=generator, dtype=x0.dtype).to(x0)
    drop = (torch.rand(B, generator=generator) < p_uncond).to(x0.device)
    y_in = torch.where(drop, torch.full_like(y, null_label), y)
    return F.mse_loss(model(q_sample(x0, t.long(), noise, alphas_cumprod), t, y_in), noise)
''',
})
WRONG.setdefault("classifier_free_guidance", {}).update({
    "in place on eps_cond (sub_, mul_, add_: no copy)": '''
def classifier_free_guidance(eps_cond, eps_uncond, w):
    return eps_cond.sub_(eps_uncond).mul_(w).add_(eps_uncond)
''',
})
RIGHT.setdefault("ddpm_step", {}).update({
    "at t = 0 x0_hat itself (equal to the mean there: beta_0 = 1 - abar_0)": '''
def ddpm_step(eps_pred, t, x_t, betas, noise):
    abar = torch.cumprod(1 - betas, 0)
    if t == 0:
        return (x_t - (1 - abar[0]).sqrt() * eps_pred) / abar[0].sqrt()
    mean = (x_t - betas[t] / (1 - abar[t]).sqrt() * eps_pred) / (1 - betas[t]).sqrt()
    return mean + ((1 - abar[t - 1]) / (1 - abar[t]) * betas[t]).sqrt() * noise
''',
})
RIGHT.setdefault("ddim_step", {}).update({
    "abar_prev a Python 1.0 at t_prev = -1, square roots as ** 0.5": '''
def ddim_step(eps_pred, t, t_prev, x_t, alphas_cumprod, eta=0.0):
    a_t = alphas_cumprod[t]
    a_p = alphas_cumprod[t_prev] if t_prev != -1 else 1.0
    x0_hat = (x_t - (1 - a_t) ** 0.5 * eps_pred) / a_t ** 0.5
    sigma = eta * ((1 - a_p) / (1 - a_t) * (1 - a_t / a_p)) ** 0.5
    out = a_p ** 0.5 * x0_hat + (1 - a_p - sigma ** 2) ** 0.5 * eps_pred
    return out + sigma * torch.randn_like(x_t) if eta > 0 else out
''',
})
RIGHT.setdefault("noise_schedules", {}).update({
    "linear from a float64 linspace, cast to float32": '''
def linear_betas(T, beta_start, beta_end):
    return torch.linspace(beta_start, beta_end, T, dtype=torch.float64).float()
''' + _COSINE,
})
RIGHT.setdefault("diffusion_loss", {}).update({
    "noise first, then t, then the drop mask; squared error by pow(2).mean()": '''
def diffusion_loss(model, x0, y, alphas_cumprod, p_uncond=0.1, null_label=10, generator=None):
    noise = torch.randn(x0.shape, generator=generator, dtype=x0.dtype).to(x0.device)
    t = torch.randint(0, len(alphas_cumprod), (len(x0),), generator=generator).to(x0.device)
    keep = (torch.rand(len(x0), generator=generator) >= p_uncond).to(y.device)
    y_in = y.masked_fill(~keep, null_label)
    return (model(q_sample(x0, t, noise, alphas_cumprod), t, y_in) - noise).pow(2).mean()
''',
})
WARNED["diffusion_loss"] += ["squared error summed over dim 1 (the channels), then the mean",
                             "mean over dims (1, 2, 3) hard-coded (images only), then over the batch"]
# red team 11, 2026-12-04, second batch
WRONG.setdefault("ddim_step", {}).update({
    "eta > 0: z drawn in float64 whatever x_t's dtype (float32 x_t gives a float64 result)": '''
def ddim_step(eps_pred, t, t_prev, x_t, alphas_cumprod, eta=0.0):
    abar_t = alphas_cumprod[t]
    abar_prev = alphas_cumprod[t_prev] if t_prev >= 0 else torch.ones_like(abar_t)
    x0_hat = (x_t - (1 - abar_t).sqrt() * eps_pred) / abar_t.sqrt()
    sigma = eta * ((1 - abar_prev) / (1 - abar_t) * (1 - abar_t / abar_prev)).sqrt()
    x_prev = abar_prev.sqrt() * x0_hat + (1 - abar_prev - sigma ** 2).sqrt() * eps_pred
    if eta > 0:
        x_prev = x_prev + sigma * torch.randn(x_t.shape, dtype=torch.float64, device=x_t.device)
    return x_prev
''',
})

# red team 13, 2026-12-05
WRONG["diffusion_loss"].update({
    "signature's default p_uncond set to 0.0 (label dropout off unless asked)": '''
def diffusion_loss(model, x0, y, alphas_cumprod, p_uncond=0.0, null_label=10, generator=None):
    B, T = x0.shape[0], len(alphas_cumprod)
    t = torch.randint(0, T, (B,), generator=generator).to(x0.device)
    noise = torch.randn(x0.shape, generator=generator, dtype=x0.dtype).to(x0.device)
    drop = (torch.rand(B, generator=generator) < p_uncond).to(x0.device)
    y_in = torch.where(drop, torch.full_like(y, null_label), y)
    x_t = q_sample(x0, t, noise, alphas_cumprod)
    return F.mse_loss(model(x_t, t, y_in), noise)
''',
})
WRONG["ddim_step"].update({
    "direction term clamped at 1e-12 before its square root (a nan guard)": '''
def ddim_step(eps_pred, t, t_prev, x_t, alphas_cumprod, eta=0.0):
    abar_t = alphas_cumprod[t]
    abar_prev = alphas_cumprod[t_prev] if t_prev >= 0 else torch.ones_like(abar_t)
    x0_hat = (x_t - (1 - abar_t).sqrt() * eps_pred) / abar_t.sqrt()
    sigma = eta * ((1 - abar_prev) / (1 - abar_t) * (1 - abar_t / abar_prev)).sqrt()
    x_prev = abar_prev.sqrt() * x0_hat + (1 - abar_prev - sigma ** 2).clamp(min=1e-12).sqrt() * eps_pred
    if eta > 0:
        x_prev = x_prev + sigma * torch.randn_like(x_t)
    return x_prev
''',
})
WRONG["noise_schedules"].update({
    "cosine: only the last beta clipped (betas[-1] = max_beta)": _LINEAR + '''
def cosine_betas(T, s=0.008, max_beta=0.999):
    u = torch.arange(T + 1, dtype=torch.float64) / T
    f = torch.cos((u + s) / (1 + s) * (math.pi / 2)) ** 2
    betas = 1 - f[1:] / f[:-1]
    betas[-1] = max_beta                     # f(1) = 0 makes the last beta 1
    return betas.float()
''',
})
WRONG["classifier_free_guidance"].update({
    "extrapolated from the conditional side: eps_cond + w (eps_cond - eps_uncond)": '''
def classifier_free_guidance(eps_cond, eps_uncond, w):
    return eps_cond + w * (eps_cond - eps_uncond)
''',
})
WRONG["q_sample"].update({
    "alphas_cumprod indexed with t - 1 (steps counted from 1)": '''
def q_sample(x0, t, noise, alphas_cumprod):
    abar = alphas_cumprod[t - 1].reshape(-1, *([1] * (x0.dim() - 1)))
    return abar.sqrt() * x0 + (1 - abar).sqrt() * noise
''',
})
WRONG["answer_2_3"].update({
    "computed with the cosine schedule (the notebook's default), not the linear one": '''
def answer_2_3():
    abar = torch.cumprod(1 - cosine_betas(1000).double(), 0)
    return int((abar < 0.5).nonzero()[0])
''',
})
RIGHT["classifier_free_guidance"].update({
    "torch.lerp(eps_uncond, eps_cond, w) with the Python float w": '''
def classifier_free_guidance(eps_cond, eps_uncond, w):
    return torch.lerp(eps_uncond, eps_cond, w)
''',
    "the weighted sum w eps_cond + (1 - w) eps_uncond": '''
def classifier_free_guidance(eps_cond, eps_uncond, w):
    return w * eps_cond + (1 - w) * eps_uncond
''',
})
RIGHT["ddim_step"].update({
    "eta > 0: z drawn only where sigma can be nonzero (t_prev >= 0)": '''
def ddim_step(eps_pred, t, t_prev, x_t, alphas_cumprod, eta=0.0):
    abar_t = alphas_cumprod[t]
    if t_prev < 0:
        return (x_t - (1 - abar_t).sqrt() * eps_pred) / abar_t.sqrt()
    abar_prev = alphas_cumprod[t_prev]
    x0_hat = (x_t - (1 - abar_t).sqrt() * eps_pred) / abar_t.sqrt()
    sigma = eta * ((1 - abar_prev) / (1 - abar_t) * (1 - abar_t / abar_prev)).sqrt()
    x_prev = abar_prev.sqrt() * x0_hat + (1 - abar_prev - sigma ** 2).sqrt() * eps_pred
    if eta > 0:
        x_prev = x_prev + sigma * torch.randn_like(x_t)
    return x_prev
''',
})
RIGHT["answer_2_3"].update({
    "alphas_cumprod in float32, the first index below 0.5 by argmax of the mask": '''
def answer_2_3():
    abar = torch.cumprod(1 - linear_betas(1000, 1e-4, 0.02), 0)
    return int((abar < 0.5).int().argmax())
''',
})
# red team 13, 2026-12-05, second batch (written after the fixes above; measured against the tests as they then stood)
WRONG["ddpm_step"].update({
    "at t = 0 the noise replaced by torch.zeros(x_t.shape) (made on the CPU: fails on a GPU)": '''
def ddpm_step(eps_pred, t, x_t, betas, noise):
    alphas = 1 - betas
    abar = torch.cumprod(alphas, 0)
    if t == 0:
        noise = torch.zeros(x_t.shape, dtype=x_t.dtype)                # the last step adds no noise
    mean = (x_t - betas[t] / (1 - abar[t]).sqrt() * eps_pred) / alphas[t].sqrt()
    var = (1 - abar[t - 1]) / (1 - abar[t]) * betas[t]
    return mean + var.sqrt() * noise
''',
})
WRONG["diffusion_loss"].update({
    "p_uncond = 0: the drop mask torch.zeros(B, dtype=torch.bool), left on the CPU (fails on a GPU)": '''
def diffusion_loss(model, x0, y, alphas_cumprod, p_uncond=0.1, null_label=10, generator=None):
    B, T = x0.shape[0], len(alphas_cumprod)
    t = torch.randint(0, T, (B,), generator=generator).to(x0.device)
    noise = torch.randn(x0.shape, generator=generator, dtype=x0.dtype).to(x0.device)
    if p_uncond > 0:
        drop = (torch.rand(B, generator=generator) < p_uncond).to(x0.device)
    else:
        drop = torch.zeros(B, dtype=torch.bool)                           # nothing to drop: no draw needed
    y_in = torch.where(drop, torch.full_like(y, null_label), y)
    x_t = q_sample(x0, t, noise, alphas_cumprod)
    return F.mse_loss(model(x_t, t, y_in), noise)
''',
})

# ---- red team 15 (reviewer H, 2026-12-05) ----
WRONG["diffusion_loss"].update({
    # red team 15: stratified steps (low-variance sampling): example b gets a t from its own stratum [b T / B, (b + 1) T / B), so
    # each example's t is not uniform on 0..T-1 (the first examples always get the small steps); only the batch's histogram is
    "stratified steps: example b's t from the b-th stratum of 0..T-1": '''
def diffusion_loss(model, x0, y, alphas_cumprod, p_uncond=0.1, null_label=10, generator=None):
    B, T = x0.shape[0], len(alphas_cumprod)
    u = (torch.arange(B, dtype=torch.float64) + torch.rand(B, generator=generator, dtype=torch.float64)) / B
    t = (u * T).long().clamp(max=T - 1).to(x0.device)
    noise = torch.randn(x0.shape, generator=generator, dtype=x0.dtype).to(x0.device)
    drop = (torch.rand(B, generator=generator) < p_uncond).to(x0.device)
    y_in = torch.where(drop, torch.full_like(y, null_label), y)
    x_t = q_sample(x0, t, noise, alphas_cumprod)
    return F.mse_loss(model(x_t, t, y_in), noise)
''',
    # red team 15: antithetic noise (variance reduction): the second half of the batch gets minus the first half's noise, so
    # the examples' noises are not independent standard normal draws
    "antithetic noise: the second half of the batch gets minus the first half's": '''
def diffusion_loss(model, x0, y, alphas_cumprod, p_uncond=0.1, null_label=10, generator=None):
    B, T = x0.shape[0], len(alphas_cumprod)
    t = torch.randint(0, T, (B,), generator=generator).to(x0.device)
    half = torch.randn((B - B // 2, *x0.shape[1:]), generator=generator, dtype=x0.dtype)
    noise = torch.cat([half, -half[: B // 2]]).to(x0.device)
    drop = (torch.rand(B, generator=generator) < p_uncond).to(x0.device)
    y_in = torch.where(drop, torch.full_like(y, null_label), y)
    x_t = q_sample(x0, t, noise, alphas_cumprod)
    return F.mse_loss(model(x_t, t, y_in), noise)
''',
})
WRONG["ddim_step"].update({
    # red team 15: eta > 0 with z from a CPU generator seeded with t (to make sampling "reproducible"): every call at the same t
    # draws the same z, so two runs from one x_T give the same samples; the text draws z = torch.randn_like(x_t)
    "eta > 0: z from a CPU generator seeded with t (the same z at every call)": '''
def ddim_step(eps_pred, t, t_prev, x_t, alphas_cumprod, eta=0.0):
    abar_t = alphas_cumprod[t]
    abar_prev = alphas_cumprod[t_prev] if t_prev >= 0 else torch.ones_like(abar_t)
    x0_hat = (x_t - (1 - abar_t).sqrt() * eps_pred) / abar_t.sqrt()
    sigma = eta * ((1 - abar_prev) / (1 - abar_t) * (1 - abar_t / abar_prev)).sqrt()
    x_prev = abar_prev.sqrt() * x0_hat + (1 - abar_prev - sigma ** 2).sqrt() * eps_pred
    if eta > 0:
        g = torch.Generator().manual_seed(int(t))
        z = torch.randn(x_t.shape, generator=g, dtype=x_t.dtype).to(x_t.device)
        x_prev = x_prev + sigma * z
    return x_prev
''',
})
WRONG["q_sample"].update({
    # red team 15: abar[t] shaped with unsqueeze(1) once and flattened images: [B, 1] times x0.flatten(1), reshaped back with
    # view (fails on non-contiguous x0, as a permuted batch is)
    "x0 flattened with .view(B, -1), abar as [B, 1], reshaped back": '''
def q_sample(x0, t, noise, alphas_cumprod):
    B = x0.shape[0]
    abar = alphas_cumprod[t].unsqueeze(1)
    out = abar.sqrt() * x0.view(B, -1) + (1 - abar).sqrt() * noise.view(B, -1)
    return out.view(x0.shape)
''',
})
WRONG["classifier_free_guidance"].update({
    # red team 15: the guidance scale applied to the difference of the normalised estimates (each divided by its own std):
    # not the formula of the text
    "w times the difference of the estimates standardised by their own std": '''
def classifier_free_guidance(eps_cond, eps_uncond, w):
    return eps_uncond + w * (eps_cond / eps_cond.std() - eps_uncond / eps_uncond.std()) * eps_uncond.std()
''',
})
WRONG["classifier_free_guidance"].update({
    # red team 17: shortcuts at w = 0 and w = 1 that return the input tensor itself: the caller's result then IS eps_cond
    # (or eps_uncond), so changing the result in place changes the input (the text asks for a new tensor)
    "w = 0 and w = 1 shortcuts that return the input tensor itself": '''
def classifier_free_guidance(eps_cond, eps_uncond, w):
    if w == 0:
        return eps_uncond
    if w == 1:
        return eps_cond
    return eps_uncond + w * (eps_cond - eps_uncond)
''',
})
WRONG["diffusion_loss"].update({
    # red team 17: antithetic steps (variance reduction): the second half of the batch gets T - 1 - t of the first half, so
    # the examples' steps are not independent draws (each is uniform, but t and its partner's always sum to T - 1)
    "antithetic steps: the second half of the batch gets T - 1 - t of the first half": '''
def diffusion_loss(model, x0, y, alphas_cumprod, p_uncond=0.1, null_label=10, generator=None):
    B, T = x0.shape[0], len(alphas_cumprod)
    half = torch.randint(0, T, ((B + 1) // 2,), generator=generator)
    t = torch.cat([half, T - 1 - half])[:B].to(x0.device)
    noise = torch.randn(x0.shape, generator=generator, dtype=x0.dtype).to(x0.device)
    drop = (torch.rand(B, generator=generator) < p_uncond).to(x0.device)
    y_in = torch.where(drop, torch.full_like(y, null_label), y)
    return F.mse_loss(model(q_sample(x0, t, noise, alphas_cumprod), t, y_in), noise)
''',
    # red team 17: the low-discrepancy steps of variational diffusion models (one uniform offset, then evenly spaced): every
    # example's t is uniform, but they are not independent draws, and the index decides the step
    "low-discrepancy steps: one random offset, then evenly spaced over the batch": '''
def diffusion_loss(model, x0, y, alphas_cumprod, p_uncond=0.1, null_label=10, generator=None):
    B, T = x0.shape[0], len(alphas_cumprod)
    u0 = torch.rand(1, generator=generator, dtype=torch.float64)
    t = (((u0 + torch.arange(B, dtype=torch.float64) / B) % 1) * T).long().clamp(max=T - 1).to(x0.device)
    noise = torch.randn(x0.shape, generator=generator, dtype=x0.dtype).to(x0.device)
    drop = (torch.rand(B, generator=generator) < p_uncond).to(x0.device)
    y_in = torch.where(drop, torch.full_like(y, null_label), y)
    return F.mse_loss(model(q_sample(x0, t, noise, alphas_cumprod), t, y_in), noise)
''',
    # red team 17: one step drawn per pair of examples (repeat_interleave(2)): half the draws, and neighbours share a step
    "one step per pair of examples (randint for B / 2, repeat_interleave(2))": '''
def diffusion_loss(model, x0, y, alphas_cumprod, p_uncond=0.1, null_label=10, generator=None):
    B, T = x0.shape[0], len(alphas_cumprod)
    t = torch.randint(0, T, ((B + 1) // 2,), generator=generator).repeat_interleave(2)[:B].to(x0.device)
    noise = torch.randn(x0.shape, generator=generator, dtype=x0.dtype).to(x0.device)
    drop = (torch.rand(B, generator=generator) < p_uncond).to(x0.device)
    y_in = torch.where(drop, torch.full_like(y, null_label), y)
    return F.mse_loss(model(q_sample(x0, t, noise, alphas_cumprod), t, y_in), noise)
''',
})
WRONG["ddim_step"].update({
    # red team 17: eta > 0 with antithetic z across the batch (the second half gets minus the first half's z): each z is
    # standard normal, but the examples' draws are not independent (torch.randn_like(x_t) draws every entry afresh)
    "eta > 0: antithetic z (the second half of the batch gets minus the first half's)": '''
def ddim_step(eps_pred, t, t_prev, x_t, alphas_cumprod, eta=0.0):
    abar_t = alphas_cumprod[t]
    abar_prev = alphas_cumprod[t_prev] if t_prev >= 0 else torch.ones_like(abar_t)
    x0_hat = (x_t - (1 - abar_t).sqrt() * eps_pred) / abar_t.sqrt()
    sigma = eta * ((1 - abar_prev) / (1 - abar_t) * (1 - abar_t / abar_prev)).sqrt()
    x_prev = abar_prev.sqrt() * x0_hat + (1 - abar_prev - sigma ** 2).sqrt() * eps_pred
    if eta > 0:
        B = x_t.shape[0]
        z = torch.randn_like(x_t[:(B + 1) // 2])
        x_prev = x_prev + sigma * torch.cat([z, -z])[:B]
    return x_prev
''',
})
WARNED.setdefault("classifier_free_guidance", []).append("w = 0 and w = 1 shortcuts that return the input tensor itself")

# ---- red team 18 (reviewer H, 2026-12-05) ----
WRONG["ddpm_step"].update({
    # red team 18: alphas_cumprod cached across calls per (T, dtype, device), to save the cumprod at every step: a second
    # schedule of the same length (the notebook's linear and cosine schedules, both T = 1000) reuses the first one's
    "alphas_cumprod cached across calls per (T, dtype, device)": '''
_ABAR_CACHE = {}


def ddpm_step(eps_pred, t, x_t, betas, noise):
    key = (len(betas), betas.dtype, betas.device)
    if key not in _ABAR_CACHE:
        _ABAR_CACHE[key] = torch.cumprod(1 - betas, 0)
    abar = _ABAR_CACHE[key]
    alphas = 1 - betas
    mean = (x_t - betas[t] / (1 - abar[t]).sqrt() * eps_pred) / alphas[t].sqrt()
    if t == 0:
        return mean
    var = (1 - abar[t - 1]) / (1 - abar[t]) * betas[t]
    return mean + var.sqrt() * noise
''',
})
WRONG["q_sample"].update({
    # red team 18: sqrt(abar) and sqrt(1 - abar) precomputed once per (T, dtype, device), as DDPM code does in __init__:
    # a second schedule of the same length (linear and cosine, both T = 1000) gets the first one's factors
    "square roots cached across calls per (T, dtype, device)": '''
_SQRT_CACHE = {}


def q_sample(x0, t, noise, alphas_cumprod):
    key = (len(alphas_cumprod), alphas_cumprod.dtype, alphas_cumprod.device)
    if key not in _SQRT_CACHE:
        _SQRT_CACHE[key] = (alphas_cumprod.sqrt(), (1 - alphas_cumprod).sqrt())
    sqrt_ab, sqrt_one_minus_ab = _SQRT_CACHE[key]
    shape = (-1,) + (1,) * (x0.dim() - 1)
    return sqrt_ab[t].reshape(shape) * x0 + sqrt_one_minus_ab[t].reshape(shape) * noise
''',
})
WRONG["classifier_free_guidance"].update({
    # red team 18: computed in at least float32 (mixed-precision habit): bfloat16 estimates give a float32 result, where the
    # text asks for float [B, ...] of the inputs' dtype (the sampler's x then changes dtype)
    "computed in at least float32: bfloat16 estimates give a float32 result": '''
def classifier_free_guidance(eps_cond, eps_uncond, w):
    dtype = torch.promote_types(eps_cond.dtype, torch.float32)
    c, u = eps_cond.to(dtype), eps_uncond.to(dtype)
    return u + w * (c - u)
''',
})
WRONG["diffusion_loss"].update({
    # red team 18: the noise drawn in at least float32 ("no half-precision noise"): bfloat16 images get float32 noise, where
    # the text asks for noise of x0's dtype
    "noise drawn in at least float32 (bfloat16 images get float32 noise)": '''
def diffusion_loss(model, x0, y, alphas_cumprod, p_uncond=0.1, null_label=10, generator=None):
    B, T = x0.shape[0], len(alphas_cumprod)
    t = torch.randint(0, T, (B,), generator=generator).to(x0.device)
    dtype = torch.promote_types(x0.dtype, torch.float32)
    noise = torch.randn(x0.shape, generator=generator, dtype=dtype).to(x0.device)
    drop = (torch.rand(B, generator=generator) < p_uncond).to(x0.device)
    y_in = torch.where(drop, torch.full_like(y, null_label), y)
    x_t = q_sample(x0, t, noise, alphas_cumprod)
    return F.mse_loss(model(x_t, t, y_in), noise)
''',
})
WRONG["ddim_step"].update({
    # red team 18: alphas_cumprod with a 1 appended cached across calls per (T, dtype, device): a second schedule of the same
    # length reuses the first one's
    "alphas_cumprod (with a 1 appended) cached across calls per (T, dtype, device)": '''
_AB_CACHE = {}


def ddim_step(eps_pred, t, t_prev, x_t, alphas_cumprod, eta=0.0):
    key = (len(alphas_cumprod), alphas_cumprod.dtype, alphas_cumprod.device)
    if key not in _AB_CACHE:
        _AB_CACHE[key] = torch.cat([alphas_cumprod, alphas_cumprod.new_ones(1)])      # index -1 reads the 1
    ab = _AB_CACHE[key]
    abar_t, abar_prev = ab[t], ab[t_prev]
    x0_hat = (x_t - (1 - abar_t).sqrt() * eps_pred) / abar_t.sqrt()
    sigma = eta * ((1 - abar_prev) / (1 - abar_t) * (1 - abar_t / abar_prev)).sqrt()
    x_prev = abar_prev.sqrt() * x0_hat + (1 - abar_prev - sigma ** 2).sqrt() * eps_pred
    if eta > 0:
        x_prev = x_prev + sigma * torch.randn_like(x_t)
    return x_prev
''',
})
WRONG["q_sample"].update({
    # red team 19: abar widened to float32 for half-precision inputs ("the sqrt of a float16 abar loses digits"): the
    # [B, 1, ...] float32 factor makes float16 and bfloat16 x_t float32, not x0's dtype
    "abar widened to float32 for float16/bfloat16 inputs (the result float32)": '''
def q_sample(x0, t, noise, alphas_cumprod):
    abar = alphas_cumprod[t].reshape(-1, *([1] * (x0.dim() - 1)))
    if abar.dtype in (torch.float16, torch.bfloat16):
        abar = abar.float()
    return abar.sqrt() * x0 + (1 - abar).sqrt() * noise
''',
})
WRONG["ddpm_step"].update({
    # red team 19: half-precision inputs computed in float32 ("a cumprod of T float16 numbers drifts") and left there: the
    # text says compute in the inputs' dtype, and the result has x_t's dtype
    "float16/bfloat16 inputs computed in float32 and returned float32": '''
def ddpm_step(eps_pred, t, x_t, betas, noise):
    if x_t.dtype in (torch.float16, torch.bfloat16):
        eps_pred, x_t, betas, noise = eps_pred.float(), x_t.float(), betas.float(), noise.float()
    alphas = 1 - betas
    abar = torch.cumprod(alphas, 0)
    mean = (x_t - betas[t] / (1 - abar[t]).sqrt() * eps_pred) / alphas[t].sqrt()
    if t == 0:
        return mean
    var = (1 - abar[t - 1]) / (1 - abar[t]) * betas[t]
    return mean + var.sqrt() * noise
''',
})
WRONG["ddim_step"].update({
    # red team 19: x0_hat computed in float32 for half-precision inputs ("x_t / sqrt(abar_t) overflows float16 near
    # t = T - 1") and never cast back: float16 and bfloat16 x_t give a float32 x_prev, not x_t's dtype
    "float16/bfloat16 x_t computed in float32 and returned float32": '''
def ddim_step(eps_pred, t, t_prev, x_t, alphas_cumprod, eta=0.0):
    if x_t.dtype in (torch.float16, torch.bfloat16):
        x_t, eps_pred, alphas_cumprod = x_t.float(), eps_pred.float(), alphas_cumprod.float()
    abar_t = alphas_cumprod[t]
    abar_prev = alphas_cumprod[t_prev] if t_prev >= 0 else torch.ones_like(abar_t)
    x0_hat = (x_t - (1 - abar_t).sqrt() * eps_pred) / abar_t.sqrt()
    sigma = eta * ((1 - abar_prev) / (1 - abar_t) * (1 - abar_t / abar_prev)).sqrt()
    x_prev = abar_prev.sqrt() * x0_hat + (1 - abar_prev - sigma ** 2).sqrt() * eps_pred
    if eta > 0:
        x_prev = x_prev + sigma * torch.randn_like(x_t)
    return x_prev
''',
    # red team 19: z drawn on the CPU and moved to x_t's device (torch.randn(x_t.shape, dtype=...).to(x_t.device)), not
    # torch.randn_like(x_t): on a GPU it draws from the CPU's generator (another stream) and copies every step
    "eta > 0: z drawn on the CPU and moved to x_t's device": '''
def ddim_step(eps_pred, t, t_prev, x_t, alphas_cumprod, eta=0.0):
    abar_t = alphas_cumprod[t]
    abar_prev = alphas_cumprod[t_prev] if t_prev >= 0 else torch.ones_like(abar_t)
    x0_hat = (x_t - (1 - abar_t).sqrt() * eps_pred) / abar_t.sqrt()
    sigma = eta * ((1 - abar_prev) / (1 - abar_t) * (1 - abar_t / abar_prev)).sqrt()
    x_prev = abar_prev.sqrt() * x0_hat + (1 - abar_prev - sigma ** 2).sqrt() * eps_pred
    if eta > 0:
        x_prev = x_prev + sigma * torch.randn(x_t.shape, dtype=x_t.dtype).to(x_t.device)
    return x_prev
''',
})

# ---- red team 20 (reviewer C) ----
WRONG.setdefault("diffusion_loss", {}).update({
    # red team 20: rand <= p_uncond drops with probability p_uncond + 2**-24: p_uncond = 0 can still drop a label
    "drop where rand <= p_uncond (p_uncond = 0 still drops a label now and then)": '''
def diffusion_loss(model, x0, y, alphas_cumprod, p_uncond=0.1, null_label=10, generator=None):
    B, T = x0.shape[0], len(alphas_cumprod)
    t = torch.randint(0, T, (B,), generator=generator).to(x0.device)
    noise = torch.randn(x0.shape, generator=generator, dtype=x0.dtype).to(x0.device)
    drop = (torch.rand(B, generator=generator) <= p_uncond).to(x0.device)
    y_in = torch.where(drop, torch.full_like(y, null_label), y)
    return F.mse_loss(model(q_sample(x0, t, noise, alphas_cumprod), t, y_in), noise)
''',
    # red team 20: "None for the global one" read as the global generator of x0's device: draws made there, not on the CPU
    "generator None: draws made on x0's device (from that device's generator, not the CPU's)": '''
def diffusion_loss(model, x0, y, alphas_cumprod, p_uncond=0.1, null_label=10, generator=None):
    B, T = x0.shape[0], len(alphas_cumprod)
    if generator is None:
        t = torch.randint(0, T, (B,), device=x0.device)
        noise = torch.randn(x0.shape, dtype=x0.dtype, device=x0.device)
        drop = torch.rand(B, device=x0.device) < p_uncond
    else:
        t = torch.randint(0, T, (B,), generator=generator).to(x0.device)
        noise = torch.randn(x0.shape, generator=generator, dtype=x0.dtype).to(x0.device)
        drop = (torch.rand(B, generator=generator) < p_uncond).to(x0.device)
    y_in = torch.where(drop, torch.full_like(y, null_label), y)
    return F.mse_loss(model(q_sample(x0, t, noise, alphas_cumprod), t, y_in), noise)
''',
    # red team 20: the drop uniforms drawn in x0's dtype: bfloat16 has 8 bits, P(u < 0.001) is about 0.003
    "drop uniforms drawn in x0's dtype (bfloat16 cannot resolve a small p_uncond)": '''
def diffusion_loss(model, x0, y, alphas_cumprod, p_uncond=0.1, null_label=10, generator=None):
    B, T = x0.shape[0], len(alphas_cumprod)
    t = torch.randint(0, T, (B,), generator=generator).to(x0.device)
    noise = torch.randn(x0.shape, generator=generator, dtype=x0.dtype).to(x0.device)
    drop = (torch.rand(B, generator=generator, dtype=x0.dtype) < p_uncond).to(x0.device)
    y_in = torch.where(drop, torch.full_like(y, null_label), y)
    return F.mse_loss(model(q_sample(x0, t, noise, alphas_cumprod), t, y_in), noise)
''',
})
WRONG.setdefault("noise_schedules", {}).update({
    # red team 20: diffusers' betas_for_alpha_bar from a scheduler module the off-limits list did not name
    "cosine: betas_for_alpha_bar of DPMSolverSinglestepScheduler's module (off limits)": _LINEAR + '''
def cosine_betas(T, s=0.008, max_beta=0.999):
    from diffusers.schedulers.scheduling_dpmsolver_singlestep import betas_for_alpha_bar
    if s != 0.008:
        u = torch.arange(T + 1, dtype=torch.float64) / T
        f = torch.cos((u + s) / (1 + s) * (math.pi / 2)) ** 2
        return (1 - f[1:] / f[:-1]).clamp(max=max_beta).float()
    return betas_for_alpha_bar(T, max_beta=max_beta).float()
''',
})
WRONG.setdefault("q_sample", {}).update({
    # red team 20: a diffusers scheduler's add_noise called on a stand-in object (no scheduler made, so no config registered)
    "LCMScheduler.add_noise called on a stand-in (no scheduler made)": '''
def q_sample(x0, t, noise, alphas_cumprod):
    import types
    from diffusers import LCMScheduler
    return LCMScheduler.add_noise(types.SimpleNamespace(alphas_cumprod=alphas_cumprod), x0, noise, t)
''',
})
WARNED.setdefault("noise_schedules", []).append(
    "cosine: betas_for_alpha_bar of DPMSolverSinglestepScheduler's module (off limits)")
WARNED.setdefault("q_sample", []).append("LCMScheduler.add_noise called on a stand-in (no scheduler made)")
