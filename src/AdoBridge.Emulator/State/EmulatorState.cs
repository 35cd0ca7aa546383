using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace AdoBridge.Emulator;

/// <summary>All emulator state: directory, apps, grants, tokens, PATs, faults and the emulator clock. Thread-safe.</summary>
public sealed partial class EmulatorState
{
    // One lock for everything: the emulator favours obviously-correct state changes over throughput.
    private readonly Lock _gate = new();
    private readonly EmulatorOptions _options;
    private readonly List<FaultEntry> _faults = [];
    private readonly Dictionary<string, PendingAuthorization> _pending = new(StringComparer.Ordinal);
    private EmulatorData _data;
    private long _clockOffsetTicks;

    public EmulatorState(IOptions<EmulatorOptions> options)
    {
        _options = options.Value;
        Clock = new EmulatorClock(this);
        var loaded = _options.StateFile is { } path ? StateFileStore.Load(path) : null;
        _data = loaded ?? NewData();
        _clockOffsetTicks = _data.ClockOffsetTicks;

        var rsa = RSA.Create(2048);
        if (_data.SigningKeyPkcs8 is { } key)
        {
            rsa.ImportPkcs8PrivateKey(Convert.FromBase64String(key), out _);
        }
        else
        {
            _data.SigningKeyPkcs8 = Convert.ToBase64String(rsa.ExportPkcs8PrivateKey());
        }

        Jwt = new JwtIssuer(rsa);
        if (loaded is null)
        {
            SaveLocked();
        }
    }

    /// <summary>The emulator's own clock: real time plus an offset moved by <see cref="AdvanceClock"/>.</summary>
    public TimeProvider Clock { get; }

    /// <summary>Request counters; reset with <see cref="EmulatorRequestCounts.Reset"/>.</summary>
    public EmulatorRequestCounts Counts { get; } = new();

    internal JwtIssuer Jwt { get; }

    internal DateTimeOffset Now => Clock.GetUtcNow();

    public EmulatorTenant DefaultTenant
    {
        get
        {
            lock (_gate)
            {
                return _data.Tenants.FirstOrDefault(t => t.Id == EmulatorDefaults.TenantId) ?? _data.Tenants.FirstOrDefault()
                    ?? new EmulatorTenant(EmulatorDefaults.TenantId, EmulatorDefaults.TenantDisplayName, EmulatorDefaults.TenantDomain);
            }
        }
    }

    public IReadOnlyList<EmulatorTenant> Tenants => Read(d => d.Tenants.ToArray());

    public IReadOnlyList<EmulatorUser> Users => Read(d => d.Users.ToArray());

    public IReadOnlyList<EmulatorOrganization> Organizations => Read(d => d.Organizations.ToArray());

    public IReadOnlyList<EntraAppRegistration> EntraApps => Read(d => d.EntraApps.ToArray());

    public IReadOnlyList<LegacyAppRegistration> LegacyApps => Read(d => d.LegacyApps.ToArray());

    public void AdvanceClock(TimeSpan by) => Write(d =>
    {
        d.ClockOffsetTicks = Interlocked.Add(ref _clockOffsetTicks, by.Ticks);
    });

    /// <summary>Adds the app, or replaces the one with the same client id.</summary>
    public void RegisterEntraApp(EntraAppRegistration app) => Write(d =>
    {
        d.EntraApps.RemoveAll(a => string.Equals(a.ClientId, app.ClientId, StringComparison.OrdinalIgnoreCase));
        d.EntraApps.Add(app with { Secrets = app.Secrets.ToArray(), RedirectUris = app.RedirectUris.ToArray() });
    });

    /// <summary>Adds the app, or replaces the one with the same app id.</summary>
    public void RegisterLegacyApp(LegacyAppRegistration app) => Write(d =>
    {
        d.LegacyApps.RemoveAll(a => string.Equals(a.AppId, app.AppId, StringComparison.OrdinalIgnoreCase));
        d.LegacyApps.Add(app with { Scopes = app.Scopes.ToArray() });
    });

    /// <summary>Creates a personal access token for a user, for one organisation (or all when null), and returns its value.</summary>
    public string CreatePat(string userPrincipalName, string? organization, IEnumerable<string> scopes, DateTimeOffset? expiresAt = null, string? value = null)
    {
        var pat = value ?? Secrets.NewToken("emupat_");
        var scopeList = scopes.ToArray();
        Write(d =>
        {
            var user = FindUserLocked(userPrincipalName) ?? throw new ArgumentException($"No user '{userPrincipalName}'.", nameof(userPrincipalName));
            if (organization is not null && FindOrganizationLocked(organization) is null)
            {
                throw new ArgumentException($"No organization '{organization}'.", nameof(organization));
            }

            d.Pats[Secrets.Hash(pat)] = new PatRecord(user.Id, organization, scopeList, expiresAt ?? Now.AddDays(30));
        });
        return pat;
    }

    /// <summary>Forgets everything (apps, tokens, faults, counts, clock offset) and seeds again if seeding is on.</summary>
    public void ResetToSeed()
    {
        Write(d =>
        {
            var key = d.SigningKeyPkcs8;
            Interlocked.Exchange(ref _clockOffsetTicks, 0);
            _data = NewData();
            _data.SigningKeyPkcs8 = key;
            _faults.Clear();
            _pending.Clear();
        });
        Counts.Reset();
    }

    private EmulatorData NewData()
    {
        var data = new EmulatorData { ClockOffsetTicks = _clockOffsetTicks };
        if (_options.SeedDefaults)
        {
            EmulatorSeed.Apply(data, TimeProvider.System.GetUtcNow() + TimeSpan.FromTicks(_clockOffsetTicks));
        }

        return data;
    }

    internal T Read<T>(Func<EmulatorData, T> read)
    {
        lock (_gate)
        {
            return read(_data);
        }
    }

    internal void Write(Action<EmulatorData> change)
    {
        lock (_gate)
        {
            change(_data);
            SaveLocked();
        }
    }

    internal T Write<T>(Func<EmulatorData, T> change)
    {
        lock (_gate)
        {
            var result = change(_data);
            SaveLocked();
            return result;
        }
    }

    private void SaveLocked()
    {
        if (_options.StateFile is { } path)
        {
            _data.ClockOffsetTicks = _clockOffsetTicks;
            StateFileStore.Save(path, _data);
        }
    }

    private sealed class EmulatorClock(EmulatorState state) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() =>
            TimeProvider.System.GetUtcNow() + TimeSpan.FromTicks(Interlocked.Read(ref state._clockOffsetTicks));
    }
}
