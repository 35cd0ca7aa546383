using System.Xml.Linq;
using AdoBridge.Security;
using AdoBridge.Storage;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using Microsoft.EntityFrameworkCore;

namespace AdoBridge.AdminConsole;

/// <summary>
/// The Data Protection key ring in the database (SQLite or PostgreSQL), so every instance on the same database reads
/// the same keys and accepts the console cookies the others issued. The key XML is sealed with the master key
/// (<see cref="SealedXmlEncryptor"/>) before it reaches this repository.
/// </summary>
internal sealed class DatabaseXmlRepository(IDbContextFactory<AdoBridgeDbContext> contexts) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var db = contexts.CreateDbContext();
        return db.DataProtectionKeys.AsNoTracking().OrderBy(k => k.Id).Select(k => k.Xml).ToList().Select(x => XElement.Parse(x)).ToList();
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        using var db = contexts.CreateDbContext();
        db.DataProtectionKeys.Add(new DataProtectionKeyEntity { FriendlyName = friendlyName, Xml = element.ToString(SaveOptions.DisableFormatting) });
        db.SaveChanges();
    }
}

/// <summary>Seals a Data Protection key's XML with AdoBridge's master key ring, so the database alone does not reveal it.</summary>
internal sealed class SealedXmlEncryptor(SecretProtector protector) : IXmlEncryptor
{
    public const string Purpose = "data-protection-key";

    public EncryptedXmlInfo Encrypt(XElement plaintextElement)
        => new(new XElement("sealed", protector.Protect(plaintextElement.ToString(SaveOptions.DisableFormatting), Purpose)), typeof(SealedXmlDecryptor));
}

/// <summary>Opens what <see cref="SealedXmlEncryptor"/> sealed. Data Protection creates it with the service provider.</summary>
internal sealed class SealedXmlDecryptor(IServiceProvider services) : IXmlDecryptor
{
    public XElement Decrypt(XElement encryptedElement)
        => XElement.Parse(services.GetRequiredService<SecretProtector>().Unprotect(encryptedElement.Value, SealedXmlEncryptor.Purpose));
}
