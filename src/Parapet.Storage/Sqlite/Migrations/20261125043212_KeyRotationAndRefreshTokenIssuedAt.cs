using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Parapet.Storage.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class KeyRotationAndRefreshTokenIssuedAt : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "ChangedAt",
                table: "signing_keys",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<long>(
                name: "RetireAt",
                table: "signing_keys",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Status",
                table: "signing_keys",
                type: "TEXT",
                nullable: false,
                defaultValue: "current");

            migrationBuilder.AddColumn<long>(
                name: "IssuedAt",
                table: "refresh_tokens",
                type: "INTEGER",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "ChangedAt",
                table: "signing_keys");

            migrationBuilder.DropColumn(
                name: "RetireAt",
                table: "signing_keys");

            migrationBuilder.DropColumn(
                name: "Status",
                table: "signing_keys");

            migrationBuilder.DropColumn(
                name: "IssuedAt",
                table: "refresh_tokens");
        }
    }
}
